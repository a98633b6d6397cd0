/**
 * Infrastructure, a harness's own time limit, out of memory and crashes.
 *
 * Order: They go first: when the pod never started, the runner was lost, the disk filled, memory ran out or a process
 * crashed, whatever else the step printed is a symptom of that.
 */
import type { SignatureRule } from './signature-rule';

export const INFRA_RULES: readonly SignatureRule[] = [
  // Infrastructure that prevents the step from running at all.
  {
    id: 'osdc-pod-start',
    category: 'infra',
    tier: 'specific',
    pattern:
      /\bpod failed to come online\b|\b(?:ImagePullBackOff|ErrImagePull|CreateContainerError|CrashLoopBackOff)\b|\bfailed to create (?:pod|container)\b|\bpod \S+ (?:was evicted|was deleted|is unschedulable)\b|\bFailedScheduling\b/i,
  },
  {
    id: 'runner-lost',
    category: 'infra',
    tier: 'specific',
    pattern:
      /\brunner has received a shutdown signal\b|\blost communication with the server\b|\bThe self-hosted runner: .* lost\b/i,
  },
  {
    id: 'disk-full',
    category: 'infra',
    tier: 'specific',
    pattern: /\bNo space left on device\b|\bENOSPC\b|\bDisk quota exceeded\b/,
  },
  // A harness's own time limit: whatever the step printed before it was cut off is a symptom.
  {
    id: 'step-timeout',
    category: 'timeout',
    tier: 'specific',
    pattern:
      /^Command took >\S+|\bNo output has been received in the last\b|\bexceeded the maximum execution time\b|\btimetrap_timeout\b|^The command ".*" exited with 124\.$/,
  },
  // Out of memory and crashes: they end a run whatever else it printed.
  {
    id: 'cuda-oom',
    category: 'oom',
    tier: 'specific',
    pattern: /\bCUDA out of memory\b|\btorch\.(?:cuda\.)?OutOfMemoryError\b|\bCUDA error: out of memory\b/,
  },
  {
    id: 'cpu-oom',
    category: 'oom',
    tier: 'specific',
    pattern:
      /\bjava\.lang\.OutOfMemoryError\b|^MemoryError\b|\bstd::bad_alloc\b|\bCannot allocate memory\b|\bKilled signal terminated program\b|\bOOMKilled\b|\bJavaScript heap out of memory\b|\bout of memory\b/i,
  },
  {
    id: 'sanitizer',
    category: 'test',
    tier: 'specific',
    pattern:
      /^(?:==\d+==)?ERROR: (?:Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer\b|^\S+:\d+:\d+: runtime error: /,
  },
  {
    id: 'crash-signal',
    category: 'test',
    tier: 'specific',
    pattern:
      /\bSegmentation fault\b|\bcore dumped\b|\bReceived signal: SIG[A-Z]+\b|^Fatal Python error\b|\bBus error\b|\bIllegal instruction\b|\bterminate called after throwing\b|\bkilled by signal \d+\b|^Signal: SIG[A-Z]+|\bSIGSEGV \(|^Access violation\b/,
    // Test titles name crashes they check for (PHP's `FAIL Bug #72294 Segmentation fault … [bug72294.phpt]`).
    unless: /\bhandler\b|\bregister|\baltstack\b|\[\S+\.\w+\]$/i,
  },
];
