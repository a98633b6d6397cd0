;; Multi-keyword search for the capture's hot path, in WebAssembly SIMD (compiled by `npm run build:wasm` into
;; shared/needle-scan-wasm.ts). One pass over the bytes finds every position where any of up to 32 keywords starts,
;; instead of one native `indexOf` sweep per keyword.
;;
;; The filter is Teddy-style (as in Hyperscan and Rust's aho-corasick): keywords sit in 8 buckets; for each of the
;; first three bytes of a keyword, two 16-entry tables map a byte's low and high nibble to the set of buckets that
;; allow it there. Per 16 input bytes that is a few shuffles and ANDs; a position whose three byte sets share a
;; bucket is a candidate and is verified against that bucket's keywords with one 16-byte compare each.
;;
;; Memory layout (the JavaScript side writes the tables, see NeedleScanner):
;;   0 ..   96  six nibble tables: low/high nibble for keyword bytes 0, 1 and 2
;;   128 .. 160 keywords per bucket (i32 × 8)
;;   256 .. 1280 keyword slots, 4 per bucket, 32 bytes each: 16-byte care mask (0xff per keyword byte), 16 bytes text
;;   1280 .. 1296 scratch for the candidate lanes of one block
;; The caller places the input and the output (i32 positions) elsewhere and leaves 32 writable bytes after the input.
(module
  (memory (export "memory") 1)

  ;; Finds keyword starts in [input, input + length); writes their offsets (ascending) to `out` and returns how many,
  ;; or -1 when there are more than `capacity`.
  (func (export "scan") (param $input i32) (param $length i32) (param $out i32) (param $capacity i32) (result i32)
    (local $i i32) (local $found i32) (local $at i32) (local $v v128) (local $m v128) (local $nibble v128)
    (local $lanes i32) (local $lane i32) (local $pos i32) (local $buckets i32) (local $bucket i32)
    (local $slot i32) (local $slotEnd i32)
    (local.set $nibble (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    ;; Zero the padding so that reads past the end see bytes no keyword has.
    (v128.store (i32.add (local.get $input) (local.get $length)) (v128.const i64x2 0 0))
    (v128.store offset=16 (i32.add (local.get $input) (local.get $length)) (v128.const i64x2 0 0))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $length)))
        (local.set $at (i32.add (local.get $input) (local.get $i)))
        (local.set $v (v128.load (local.get $at)))
        (local.set $m
          (v128.and
            (i8x16.swizzle (v128.load (i32.const 0)) (v128.and (local.get $v) (local.get $nibble)))
            (i8x16.swizzle (v128.load (i32.const 16)) (i8x16.shr_u (local.get $v) (i32.const 4)))))
        (local.set $v (v128.load offset=1 (local.get $at)))
        (local.set $m
          (v128.and (local.get $m)
            (v128.and
              (i8x16.swizzle (v128.load (i32.const 32)) (v128.and (local.get $v) (local.get $nibble)))
              (i8x16.swizzle (v128.load (i32.const 48)) (i8x16.shr_u (local.get $v) (i32.const 4))))))
        (local.set $v (v128.load offset=2 (local.get $at)))
        (local.set $m
          (v128.and (local.get $m)
            (v128.and
              (i8x16.swizzle (v128.load (i32.const 64)) (v128.and (local.get $v) (local.get $nibble)))
              (i8x16.swizzle (v128.load (i32.const 80)) (i8x16.shr_u (local.get $v) (i32.const 4))))))
        (if (v128.any_true (local.get $m))
          (then
            (v128.store (i32.const 1280) (local.get $m))
            (local.set $lanes (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i64x2 0 0))))
            (loop $eachLane
              (local.set $lane (i32.ctz (local.get $lanes)))
              (local.set $lanes (i32.and (local.get $lanes) (i32.sub (local.get $lanes) (i32.const 1))))
              (local.set $pos (i32.add (local.get $i) (local.get $lane)))
              (if (i32.lt_u (local.get $pos) (local.get $length))
                (then
                  (local.set $buckets (i32.load8_u (i32.add (i32.const 1280) (local.get $lane))))
                  (block $matched
                    (loop $eachBucket
                      (local.set $bucket (i32.ctz (local.get $buckets)))
                      (local.set $buckets
                        (i32.and (local.get $buckets) (i32.sub (local.get $buckets) (i32.const 1))))
                      (local.set $slot (i32.add (i32.const 256) (i32.shl (local.get $bucket) (i32.const 7))))
                      (local.set $slotEnd
                        (i32.add (local.get $slot)
                          (i32.shl
                            (i32.load (i32.add (i32.const 128) (i32.shl (local.get $bucket) (i32.const 2))))
                            (i32.const 5))))
                      (block $bucketDone
                        (loop $eachSlot
                          (br_if $bucketDone (i32.ge_u (local.get $slot) (local.get $slotEnd)))
                          (if
                            (i8x16.all_true
                              (v128.or
                                (i8x16.eq
                                  (v128.load (i32.add (local.get $input) (local.get $pos)))
                                  (v128.load offset=16 (local.get $slot)))
                                (v128.not (v128.load (local.get $slot)))))
                            (then
                              (if (i32.ge_u (local.get $found) (local.get $capacity))
                                (then (return (i32.const -1))))
                              (i32.store
                                (i32.add (local.get $out) (i32.shl (local.get $found) (i32.const 2)))
                                (local.get $pos))
                              (local.set $found (i32.add (local.get $found) (i32.const 1)))
                              (br $matched)))
                          (local.set $slot (i32.add (local.get $slot) (i32.const 32)))
                          (br $eachSlot)))
                      (br_if $eachBucket (local.get $buckets))))))
              (br_if $eachLane (local.get $lanes)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $blocks)))
    (local.get $found)))
