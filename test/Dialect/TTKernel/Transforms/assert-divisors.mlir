// RUN: ttlx-opt %s -split-input-file -ttkernel-assert-divisors | FileCheck %s --enable-var-scope
// The fault it gives at run time is checked in test/python/test_kernel_faults.py.

// A division by a run-time value is preceded by ASSERT(divisor != 0), with
// the division's location in the message.
// CHECK-LABEL: func.func @floordiv(
// CHECK-SAME: %[[A:.*]]: i64, %[[B:.*]]: i64)
// CHECK: %[[Z:.*]] = arith.constant 0 : i64
// CHECK: %[[OK:.*]] = arith.cmpi ne, %[[B]], %[[Z]] : i64
// CHECK: ttkernel.assert %[[OK]], "integer division at k.py:7:12: division by zero (the divisor of // or % is a run-time value that is 0; a Tensix RISC-V core would not stop but go on with a meaningless quotient or remainder)"
// CHECK-NEXT: arith.floordivsi %[[A]], %[[B]] : i64
func.func @floordiv(%a: i64, %b: i64) -> i64 {
  %q = arith.floordivsi %a, %b : i64 loc("k.py":7:12)
  return %q : i64
}

// -----

// Every integer division and remainder, of index and i32 too.
// CHECK-LABEL: func.func @all_kinds(
// CHECK-COUNT-7: ttkernel.assert
// CHECK-NOT: ttkernel.assert
func.func @all_kinds(%a: i32, %b: i32, %i: index, %j: index) {
  %0 = arith.divsi %a, %b : i32
  %1 = arith.divui %a, %b : i32
  %2 = arith.ceildivsi %a, %b : i32
  %3 = arith.ceildivui %a, %b : i32
  %4 = arith.remsi %a, %b : i32
  %5 = arith.remui %i, %j : index
  %6 = arith.floordivsi %i, %j : index
  return
}

// -----

// A non-zero constant divisor needs no check; a zero one is checked (it
// faults only if the division runs).
// CHECK-LABEL: func.func @constants(
// CHECK-NOT: ttkernel.assert
// CHECK: arith.divsi
// CHECK: ttkernel.assert
// CHECK-NEXT: arith.remsi
func.func @constants(%a: i32) -> (i32, i32) {
  %c3 = arith.constant 3 : i32
  %c0 = arith.constant 0 : i32
  %q = arith.divsi %a, %c3 : i32
  %r = arith.remsi %a, %c0 : i32
  return %q, %r : i32, i32
}
