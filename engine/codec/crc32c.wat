;; CRC32C (Castagnoli) in WebAssembly: the slicing-by-16 loop of crc32c.ts, over two streams at once. The source
;; of crc32c-wasm.ts (`npm run wasm` compiles it; a unit test checks that the two agree).
;;
;; Slicing-by-16 is one long chain: each 16-byte step needs the register the step before produced, so the CPU
;; waits on every step's 16 table loads before it can start the next. Two independent streams (the two halves of
;; the input) keep twice as many loads in flight; crc32c.ts joins their registers afterwards (the CRC register
;; after A then B is A's register carried over |B| zero bytes, xored with B's register from zero). One stream
;; of this code runs at about the speed of the JavaScript loop; two, about 1.5 times it (3.2 GB/s in Node).
;;
;; Memory: bytes 0-16383 hold the 16 tables crc32c.ts builds (table k at k * 1024, 256 words each); the second
;; stream's register is left at 16384; crc32c.ts copies an input in at 32768 (64 KiB at a time); from 98304 on
;; lies a buffer callers read into, for bytes checksummed where they lie (checksumScratch in crc32c.ts).
(module
  (memory (export "memory") 3)

  ;; One 16-byte step of slicing-by-16: a (already xored with the register), b, c and d are the step's four
  ;; little-endian words; byte j of the step goes through table 15 - j.
  (func $step (param $a i32) (param $b i32) (param $c i32) (param $d i32) (result i32)
    (i32.xor
      (i32.xor
        (i32.xor
          (i32.xor (i32.load offset=15360 (i32.shl (i32.and (local.get $a) (i32.const 255)) (i32.const 2)))
                   (i32.load offset=14336 (i32.shl (i32.and (i32.shr_u (local.get $a) (i32.const 8)) (i32.const 255)) (i32.const 2))))
          (i32.xor (i32.load offset=13312 (i32.shl (i32.and (i32.shr_u (local.get $a) (i32.const 16)) (i32.const 255)) (i32.const 2)))
                   (i32.load offset=12288 (i32.shl (i32.shr_u (local.get $a) (i32.const 24)) (i32.const 2)))))
        (i32.xor
          (i32.xor (i32.load offset=11264 (i32.shl (i32.and (local.get $b) (i32.const 255)) (i32.const 2)))
                   (i32.load offset=10240 (i32.shl (i32.and (i32.shr_u (local.get $b) (i32.const 8)) (i32.const 255)) (i32.const 2))))
          (i32.xor (i32.load offset=9216 (i32.shl (i32.and (i32.shr_u (local.get $b) (i32.const 16)) (i32.const 255)) (i32.const 2)))
                   (i32.load offset=8192 (i32.shl (i32.shr_u (local.get $b) (i32.const 24)) (i32.const 2))))))
      (i32.xor
        (i32.xor
          (i32.xor (i32.load offset=7168 (i32.shl (i32.and (local.get $c) (i32.const 255)) (i32.const 2)))
                   (i32.load offset=6144 (i32.shl (i32.and (i32.shr_u (local.get $c) (i32.const 8)) (i32.const 255)) (i32.const 2))))
          (i32.xor (i32.load offset=5120 (i32.shl (i32.and (i32.shr_u (local.get $c) (i32.const 16)) (i32.const 255)) (i32.const 2)))
                   (i32.load offset=4096 (i32.shl (i32.shr_u (local.get $c) (i32.const 24)) (i32.const 2)))))
        (i32.xor
          (i32.xor (i32.load offset=3072 (i32.shl (i32.and (local.get $d) (i32.const 255)) (i32.const 2)))
                   (i32.load offset=2048 (i32.shl (i32.and (i32.shr_u (local.get $d) (i32.const 8)) (i32.const 255)) (i32.const 2))))
          (i32.xor (i32.load offset=1024 (i32.shl (i32.and (i32.shr_u (local.get $d) (i32.const 16)) (i32.const 255)) (i32.const 2)))
                   (i32.load (i32.shl (i32.shr_u (local.get $d) (i32.const 24)) (i32.const 2))))))))

  ;; The registers of the two streams [at, at + half) and [at + half, at + 2 * half), half a multiple of 16: the
  ;; first starts from $register, the second from 0. Returns the first; stores the second at 16384.
  (func (export "twoStreams") (param $at i32) (param $half i32) (param $register i32) (result i32)
    (local $second i32) (local $end i32) (local $other i32)
    (local.set $end (i32.add (local.get $at) (local.get $half)))
    (local.set $other (local.get $end))
    (block $done
      (loop $steps
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $register
          (call $step
            (i32.xor (local.get $register) (i32.load (local.get $at)))
            (i32.load offset=4 (local.get $at))
            (i32.load offset=8 (local.get $at))
            (i32.load offset=12 (local.get $at))))
        (local.set $second
          (call $step
            (i32.xor (local.get $second) (i32.load (local.get $other)))
            (i32.load offset=4 (local.get $other))
            (i32.load offset=8 (local.get $other))
            (i32.load offset=12 (local.get $other))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (local.set $other (i32.add (local.get $other) (i32.const 16)))
        (br $steps)))
    (i32.store (i32.const 16384) (local.get $second))
    (local.get $register)))
