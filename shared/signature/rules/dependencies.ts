/**
 * Dependency resolution, imports and the network.
 *
 * Order: A resolver or download error explains a whole step; it ranks below diagnostics that name a file, because builds
 * and tests often print network noise that is not their cause.
 */
import type { SignatureRule } from './signature-rule';

export const DEPENDENCY_RULES: readonly SignatureRule[] = [
  // Dependency resolution.
  {
    id: 'dependency-resolution',
    category: 'dependency',
    tier: 'specific',
    pattern:
      /\bCould not find a version that satisfies the requirement\b|\bNo matching distribution found\b|\bResolutionImpossible\b|\bERESOLVE\b|\bUnsatisfiableError\b|\bPackagesNotFoundError\b|\bCould not resolve dependencies\b|\bCould not find (?:gem|artifact|any version)\b|\bBundler could not find compatible versions\b|\bnpm ERR! 404\b|\bpackage \S+ is not in (?:GOROOT|std)\b|\bno required module provides package\b|\bfailed to select a version\b|\bversion solving failed\b|\bCould not resolve all (?:files|dependencies)\b|\bunable to resolve dependency tree\b|\bmissing go\.sum entry\b|\bgo\.mod\/go\.sum are not up-to-date\b|\bunresolved dependency\b|\bVersionConflict\b/i,
  },
  {
    id: 'python-import-error',
    category: 'dependency',
    tier: 'specific',
    pattern: /^(?:E\s+)?(?:ModuleNotFoundError|ImportError): /,
  },
  // Network and downloads.
  {
    id: 'network',
    category: 'network',
    tier: 'specific',
    pattern:
      /\bcurl: \(\d+\)|\bCould not resolve host\b|\bTemporary failure in name resolution\b|\bName or service not known\b|\bgetaddrinfo\b.*\b(?:ENOTFOUND|EAI_AGAIN)\b|\bConnection (?:refused|reset by peer|timed out)\b|\bfatal: unable to access\b|\bThe requested URL returned error: \d{3}\b|\bFailed to connect to\b|\bTLS handshake timeout\b|\bCERTIFICATE_VERIFY_FAILED\b|\bFailed to (?:download|fetch)\b|\bUnable to download\b|\bmanifest unknown\b|\btoomanyrequests\b|\brate limit exceeded\b|\bHTTP (?:Error|error|status) (?:4\d\d|5\d\d)\b|\b(?:502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)\b|\bError cloning remote repo\b|\bcould(?:n't| not) find remote ref\b|\bcould not fetch content\b|\bRemote end closed connection\b|\bRead timed out\b/i,
  },
  {
    // Node's and libuv's error codes, as they print them: upper case, not part of a file or test name
    // (`test-net-connect-handle-econnrefused.lua`).
    id: 'network-error-code',
    category: 'network',
    tier: 'specific',
    pattern: /(?<![\w.-])(?:ECONNRESET|ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)(?![\w.-])/,
  },
];
