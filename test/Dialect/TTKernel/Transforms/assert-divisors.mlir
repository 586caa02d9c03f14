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

// Every integer division and remainder, of index and i32 too; the signed
// ones also check for overflow.
// CHECK-LABEL: func.func @all_kinds(
// CHECK: overflow
// CHECK: division by zero
// CHECK-NEXT: arith.divsi
// CHECK: division by zero
// CHECK-NEXT: arith.divui
// CHECK: overflow
// CHECK: division by zero
// CHECK-NEXT: arith.ceildivsi
// CHECK: division by zero
// CHECK-NEXT: arith.ceildivui
// CHECK: overflow
// CHECK: division by zero
// CHECK-NEXT: arith.remsi
// CHECK: division by zero
// CHECK-NEXT: arith.remui
// CHECK: overflow
// CHECK: division by zero
// CHECK-NEXT: arith.floordivsi
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

// -----

// Before a signed division: ASSERT(dividend != MIN || divisor != -1), as
// Python's MIN // -1 is -MIN, which the type cannot hold.
// CHECK-LABEL: func.func @overflow(
// CHECK-SAME: %[[A:.*]]: i64, %[[B:.*]]: i64)
// CHECK-DAG: %[[MIN:.*]] = arith.constant -9223372036854775808 : i64
// CHECK-DAG: %[[M1:.*]] = arith.constant -1 : i64
// CHECK-DAG: %[[NOTMIN:.*]] = arith.cmpi ne, %[[A]], %[[MIN]] : i64
// CHECK-DAG: %[[NOTM1:.*]] = arith.cmpi ne, %[[B]], %[[M1]] : i64
// CHECK: %[[OK:.*]] = arith.ori %[[NOTMIN]], %[[NOTM1]] : i1
// CHECK: ttkernel.assert %[[OK]], "integer division at k.py:3:5: overflow: the smallest 64-bit integer (-9223372036854775808) divided by -1 is 9223372036854775808, which 64 bits cannot hold (a Tensix RISC-V core would go on with -9223372036854775808)"
// CHECK: ttkernel.assert {{.*}}division by zero
// CHECK-NEXT: arith.floordivsi %[[A]], %[[B]] : i64
func.func @overflow(%a: i64, %b: i64) -> i64 {
  %q = arith.floordivsi %a, %b : i64 loc("k.py":3:5)
  return %q : i64
}

// -----

// i32 and index have their own smallest values.
// CHECK-LABEL: func.func @overflow_widths(
// CHECK: "integer division at {{.*}}: overflow: the smallest 32-bit integer (-2147483648) divided by -1 is 2147483648, which 32 bits cannot hold
// CHECK: division by zero
// CHECK-NEXT: arith.divsi
// CHECK: arith.constant -9223372036854775808 : index
// CHECK: "integer division at {{.*}}: overflow: the smallest 64-bit integer
// CHECK: division by zero
// CHECK-NEXT: arith.ceildivsi
func.func @overflow_widths(%a: i32, %b: i32, %i: index, %j: index) {
  %0 = arith.divsi %a, %b : i32
  %1 = arith.ceildivsi %i, %j : index
  return
}

// -----

// A constant divisor other than -1, or a constant dividend other than MIN,
// rules the overflow out; a divisor of -1 keeps the check.
// CHECK-LABEL: func.func @overflow_constants(
// CHECK-NOT: overflow
// CHECK: arith.divsi
// CHECK-NOT: overflow
// CHECK: arith.remsi
// CHECK: overflow
// CHECK-NEXT: arith.floordivsi
// CHECK-NOT: ttkernel.assert
func.func @overflow_constants(%a: i32, %b: i32) -> (i32, i32, i32) {
  %c3 = arith.constant 3 : i32
  %c7 = arith.constant 7 : i32
  %cm1 = arith.constant -1 : i32
  %q = arith.divsi %a, %c3 : i32
  %r = arith.remsi %c7, %b : i32
  %s = arith.floordivsi %a, %cm1 : i32
  return %q, %r, %s : i32, i32, i32
}
