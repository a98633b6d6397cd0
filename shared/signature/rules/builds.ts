/**
 * Builds: pip wheels, compilers (C/C++/CUDA, Rust, Java, Go, Swift), linkers, Gradle, CMake, Ninja.
 *
 * Order: pip's verdict names the package that failed and goes first; the compiler or CMake error that caused it is its
 * second key line.
 */
import {
  COMPILER_DIAGNOSTIC,
  followedByRustLocation,
  gradleReasonIsSpecific,
  gradleWhatWentWrong,
  withEarlierBuildError,
} from '../rule-key-lines';
import type { SignatureRule } from './signature-rule';

export const BUILD_RULES: readonly SignatureRule[] = [
  // Builds: compilers, linkers, build tools. pip's verdict names the package that failed and goes first; the
  // compiler or CMake error that caused it is its second key line.
  {
    id: 'wheel-build-failure',
    category: 'build',
    tier: 'specific',
    pattern: /\bFailed building wheel for \S+|\bCould not build wheels for\b/,
    keyLines: withEarlierBuildError,
  },
  {
    id: 'xcode-diagnostic',
    category: 'build',
    tier: 'specific',
    // xcpretty drops the `error:` and marks the diagnostic with a cross instead.
    pattern: /^\S{0,4}❌ +\S+:\d+:\d+: \S/,
  },
  {
    id: 'compiler-error',
    category: 'build',
    tier: 'specific',
    pattern: COMPILER_DIAGNOSTIC,
    unless: /\b0 errors?\b|-Werror|-Wno-error/,
  },
  {
    id: 'rust-compile-error',
    category: 'build',
    tier: 'specific',
    pattern: /^error(?:\[E\d{4}\])?: \S/,
    confirm: followedByRustLocation,
  },
  {
    id: 'linker-error',
    category: 'build',
    tier: 'specific',
    pattern:
      /\bundefined reference to\b|\bld: symbol\(s\) not found\b|\bunresolved external symbol\b|\bcannot find -l\S+|^Undefined symbols for architecture\b/,
  },
  {
    id: 'java-compile-error',
    category: 'build',
    tier: 'specific',
    // javac, kotlinc, Maven's `[ERROR] File.java:[12,5]`, sbt's `[error] File.scala:78:35: type mismatch;`.
    pattern:
      /^(?:\[(?:ERROR|error)\] )?\S+\.(?:java|kt|scala|groovy):(?:\[\d+,\d+\]|\d+(?::\d+)?:?) (?:error: )?\S/,
  },
  {
    id: 'go-build-error',
    category: 'build',
    tier: 'specific',
    pattern: /^\S+\.go:\d+:\d+: \S/,
  },
  {
    id: 'other-compile-error',
    category: 'build',
    tier: 'specific',
    pattern:
      /^\S+\.(?:hs|lhs|purs|elm|ml|fs|swift|cs|vb|coffee|ts|tsx):\d+:\d+(?:-\d+)?:? (?:error|\[error\])/i,
  },
  {
    id: 'gradle-failure',
    category: 'build',
    tier: 'specific',
    pattern: /^\* What went wrong:$|^e: \S+: \(\d+, \d+\): /,
    confirm: gradleReasonIsSpecific,
    keyLines: gradleWhatWentWrong,
  },
  {
    id: 'cmake-error',
    category: 'build',
    tier: 'specific',
    pattern: /^CMake Error\b/,
  },
  {
    id: 'ninja-failure',
    category: 'build',
    tier: 'specific',
    pattern: /^FAILED: \S/,
  },
];
