;; Two workers on one shared memory: one grows it and publishes an address in the new pages,
;; the other waits for that address (spinning) and then touches it with one kind of access.
;; Used by tests/e2e/grow_race.js (see there).
(module
  (import "e" "mem" (memory 1 65536 shared))
  ;; Grow by one page; publish an address in it (word 4) and raise the flag (word 0).
  (func (export "grow_and_publish") (result i32) (local $old i32)
    (local.set $old (memory.grow (i32.const 1)))
    (i32.atomic.store (i32.const 4) (i32.add (i32.mul (local.get $old) (i32.const 65536)) (i32.const 16)))
    (i32.atomic.store (i32.const 0) (i32.const 1))
    (local.get $old))
  (func $wait_for_address (result i32)
    (loop $l (br_if $l (i32.eqz (i32.atomic.load (i32.const 0)))))
    (i32.atomic.load (i32.const 4)))
  (func (export "copy") (memory.copy (call $wait_for_address) (i32.const 64) (i32.const 32)))
  (func (export "fill") (memory.fill (call $wait_for_address) (i32.const 7) (i32.const 32)))
  (func (export "store") (i32.store (call $wait_for_address) (i32.const 7)))
  (func (export "atomic_store") (i32.atomic.store (call $wait_for_address) (i32.const 7)))
  (func (export "notify") (drop (memory.atomic.notify (call $wait_for_address) (i32.const 1))))
  ;; The fix: memory.grow(0) first brings this instance's size up to date.
  (func (export "grow0_then_copy") (local $p i32)
    (local.set $p (call $wait_for_address))
    (drop (memory.grow (i32.const 0)))
    (memory.copy (local.get $p) (i32.const 64) (i32.const 32)))
)
