import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FailureMarkers } from '../../services/reporter/failure-markers';
import { countStep } from '../../services/reporter/step-counter';

describe('Function: countStep', () => {
  const made: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), 'osdc-rca-steps-'));
    made.push(dir);
    return join(dir, 'state');
  };
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("numbers a job's script steps from 1, each call the next", async () => {
    // Prepare
    const stateDir = folder();

    // Act
    const indexes = [await countStep(stateDir), await countStep(stateDir), await countStep(stateDir)];

    // Assess
    expect(indexes).toEqual([1, 2, 3]);
  });

  it('starts again at 1 once prepare_job has cleared the job state', async () => {
    // Prepare
    const stateDir = folder();
    await countStep(stateDir);
    await countStep(stateDir);

    // Act
    await new FailureMarkers(stateDir).clear();
    const index = await countStep(stateDir);

    // Assess
    expect(index).toBe(1);
  });

  it('gives no index, and no error, when the state folder cannot be made', async () => {
    // Prepare: a file where a parent folder should be (root may write anywhere, so permissions would not do)
    const stateDir = folder();
    await countStep(stateDir);
    const blocked = join(stateDir, 'steps', 'state');

    // Act
    const index = await countStep(blocked);

    // Assess
    expect(index).toBeUndefined();
  });
});
