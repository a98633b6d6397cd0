import { describe, expect, it } from 'vitest';
import { whereToFindAnalysis } from '../../services/reporter/where-to-find-analysis';

const REPORT_ID = '11111111-1111-4111-8111-111111111111';
const LEAD = `[OSDC] The failure analysis (report ${REPORT_ID}) is not ready yet;`;
const marker = {
  reportId: REPORT_ID,
  resultSecret: 'k'.repeat(43),
  createdAt: 0,
  repo: 'pytorch/pytorch',
  sha: 'c'.repeat(40),
};

describe('Function: whereToFindAnalysis', () => {
  it('links the check run once the analyzer has posted one', () => {
    // Act
    const line = whereToFindAnalysis(marker, {
      checkRunUrl: 'https://github.com/pytorch/pytorch/runs/42',
      headSha: 'a'.repeat(40),
    });

    // Assess
    expect(line).toBe(
      `${LEAD} it will appear in its check run: https://github.com/pytorch/pytorch/runs/42\n`,
    );
  });

  it("links the head commit's checks once the report is verified, the PR's checks before", () => {
    // Act
    const verified = whereToFindAnalysis({ ...marker, prNumber: 7 }, { headSha: 'a'.repeat(40) });
    const unverified = whereToFindAnalysis({ ...marker, prNumber: 7 }, undefined);

    // Assess
    expect(verified).toBe(
      `${LEAD} it will appear on the commit's checks: https://github.com/pytorch/pytorch/commit/${'a'.repeat(40)}/checks\n`,
    );
    expect(unverified).toBe(
      `${LEAD} it will appear on the PR's checks: https://github.com/pytorch/pytorch/pull/7/checks\n`,
    );
  });

  it("links the pushed commit's checks on a branch, and names no link it cannot build", () => {
    // Act
    const pushed = whereToFindAnalysis(marker, {});
    const bare = whereToFindAnalysis(
      { reportId: REPORT_ID, resultSecret: 'k'.repeat(43), createdAt: 0 },
      undefined,
    );

    // Assess
    expect(pushed).toBe(
      `${LEAD} it will appear on the commit's checks: https://github.com/pytorch/pytorch/commit/${'c'.repeat(40)}/checks\n`,
    );
    expect(bare).toBe(`${LEAD} it will appear on the commit's checks.\n`);
  });

  it('never links a check run URL outside github.com', () => {
    // Act
    const line = whereToFindAnalysis(marker, { checkRunUrl: 'https://evil.example/runs/1' });

    // Assess
    expect(line).not.toContain('evil');
  });
});
