/** Which rule, if any, matches each line of a log: the raw material of the key-line finder and context selection. */
import type { SnapshotLine } from '../log/snapshot-lines';
import { isBoilerplate } from '../text/normalize';
import { SIGNATURE_RULES } from './rules';

/** Rules only look at the start of very long lines: enough for any diagnostic, bounded cost on minified blobs. */
const MATCH_CHARS = 1000;

const ACTIONS_ERROR_PREFIX = /^(?:##\[error\]|::error(?: [^:]*)?::)/;
/** Lines that talk about problems without being one: warnings, info/debug log records, echoed commands. */
const NOT_A_FAILURE =
  /^(?:##\[warning\]|::warning|##\[notice\]|::notice)|\[(?:info|debug|notice|trace|INFO|DEBUG|TRACE)\]|^(?:INFO|DEBUG|TRACE)\b|^\s*(?:\$|\+{1,3}) \S/;
/** sbt prints ScalaTest's failures at `[info]` level; the marker says what they are. */
const REPORTED_AS_INFO = /\*\*\* FAILED \*\*\*$/;
const ACTIONS_RUN_GROUP = /^##\[group\]Run /;
const ACTIONS_END_GROUP = /^##\[endgroup\]/;

export interface KeyLineOptions {
  /**
   * Rules to leave out, by id: the benchmark's leave-rule-out cross-validation switches off the rules written from
   * the repository it judges.
   */
  readonly withoutRules?: ReadonlySet<string>;
}

export interface RuleMatch {
  readonly ruleIndex: number;
  readonly index: number;
}

/**
 * The first rule (in priority order) that matches each line, for every line that any rule matches. Lines of a
 * GitHub Actions `Run` group (the step's script, echoed) and warnings are skipped.
 */
export function matchRules(lines: readonly SnapshotLine[], options: KeyLineOptions = {}): RuleMatch[] {
  const without = options.withoutRules;
  const texts = lines.map((line) => line.text);
  const matches: RuleMatch[] = [];
  let inRunGroup = false;
  texts.forEach((text, index) => {
    if (ACTIONS_RUN_GROUP.test(text)) inRunGroup = true;
    else if (ACTIONS_END_GROUP.test(text)) inRunGroup = false;
    if (inRunGroup || text.length === 0 || isBoilerplate(text)) return;
    const head = text.length > MATCH_CHARS ? text.slice(0, MATCH_CHARS) : text;
    const bare = head.replace(ACTIONS_ERROR_PREFIX, '').trimStart();
    if (NOT_A_FAILURE.test(bare) && !REPORTED_AS_INFO.test(bare)) return;
    const ruleIndex = SIGNATURE_RULES.findIndex((rule) => {
      if (without?.has(rule.id)) return false;
      const subject = rule.id === 'actions-error' ? head : bare;
      return (
        rule.pattern.test(subject) && !rule.unless?.test(subject) && (rule.confirm?.(texts, index) ?? true)
      );
    });
    if (ruleIndex >= 0) matches.push({ ruleIndex, index });
  });
  return matches;
}
