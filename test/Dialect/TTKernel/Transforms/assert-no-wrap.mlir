// RUN: ttlx-opt %s -split-input-file -ttkernel-assert-no-wrap | FileCheck %s --enable-var-scope
// The faults it gives at run time are checked in test/python/test_kernel_faults.py.

// A sum flagged nsw: ASSERT((s < a) == (b < 0)) after it, with its
// location; the flag goes (later folds must not assume what is checked).
// CHECK-LABEL: func.func @add(
// CHECK-SAME: %[[A:.*]]: i32, %[[B:.*]]: i32)
// CHECK: %[[S:.*]] = arith.addi %[[A]], %[[B]] : i32
// CHECK-DAG: %[[Z:.*]] = arith.constant 0 : i32
// CHECK-DAG: %[[LT:.*]] = arith.cmpi slt, %[[S]], %[[A]] : i32
// CHECK-DAG: %[[NEG:.*]] = arith.cmpi slt, %[[B]], %[[Z]] : i32
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[LT]], %[[NEG]] : i1
// CHECK: ttkernel.assert %[[OK]], "integer addition at k.py:7:12: overflow: the sum is outside the 32-bit range [-2147483648, 2147483647] (a Tensix RISC-V core would go on with it wrapped around)"
// CHECK-NEXT: return %[[S]]
func.func @add(%a: i32, %b: i32) -> i32 {
  %s = arith.addi %a, %b overflow<nsw> : i32 loc("k.py":7:12)
  return %s : i32
}

// -----

// Without the flag (the compiler's own address arithmetic) nothing is
// checked; with nsw and nuw, nuw stays.
// CHECK-LABEL: func.func @unflagged(
// CHECK-NOT: ttkernel.assert
// CHECK: arith.addi %{{.*}}, %{{.*}} overflow<nuw> : index
// CHECK-NOT: ttkernel.assert
// CHECK: arith.addi %{{.*}}, %{{.*}} overflow<nuw> : index
// CHECK: ttkernel.assert
func.func @unflagged(%a: index, %b: index) -> (index, index, index) {
  %s = arith.addi %a, %b : index
  %t = arith.addi %a, %b overflow<nuw> : index
  %u = arith.addi %a, %b overflow<nsw, nuw> : index
  return %s, %t, %u : index, index, index
}

// -----

// index is checked as i64 (EmitC makes it an unsigned size_t); a
// difference: ASSERT((d < a) == (b > 0)).
// CHECK-LABEL: func.func @sub(
// CHECK-SAME: %[[A:.*]]: index, %[[B:.*]]: index)
// CHECK: %[[D:.*]] = arith.subi %[[A]], %[[B]] : index
// CHECK-DAG: %[[B64:.*]] = arith.index_cast %[[B]] : index to i64
// CHECK-DAG: %[[A64:.*]] = arith.index_cast %[[A]] : index to i64
// CHECK-DAG: %[[D64:.*]] = arith.index_cast %[[D]] : index to i64
// CHECK-DAG: %[[LT:.*]] = arith.cmpi slt, %[[D64]], %[[A64]] : i64
// CHECK-DAG: %[[POS:.*]] = arith.cmpi sgt, %[[B64]], %{{.*}} : i64
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[LT]], %[[POS]] : i1
// CHECK: ttkernel.assert %[[OK]], "integer subtraction at k.py:3:5: overflow: the difference is outside the 64-bit range [-9223372036854775808, 9223372036854775807] (a Tensix RISC-V core would go on with it wrapped around)"
func.func @sub(%a: index, %b: index) -> index {
  %d = arith.subi %a, %b overflow<nsw> : index loc("k.py":3:5)
  return %d : index
}

// -----

// 0 - x is a negation (-x, abs(x)): only the smallest integer overflows.
// CHECK-LABEL: func.func @neg(
// CHECK-SAME: %[[X:.*]]: i64)
// CHECK: %[[MIN:.*]] = arith.constant -9223372036854775808 : i64
// CHECK: %[[OK:.*]] = arith.cmpi ne, %[[X]], %[[MIN]] : i64
// CHECK: ttkernel.assert %[[OK]], "integer negation (-x or abs(x)) at k.py:4:9: overflow: the smallest 64-bit integer (-9223372036854775808) negated is 9223372036854775808, which 64 bits cannot hold (a Tensix RISC-V core would go on with -9223372036854775808)"
func.func @neg(%x: i64) -> i64 {
  %c0 = arith.constant 0 : i64
  %n = arith.subi %c0, %x overflow<nsw> : i64 loc("k.py":4:9)
  return %n : i64
}

// -----

// An i32 product is checked in i64: the exact product equals the wrapped
// one widened.
// CHECK-LABEL: func.func @mul32(
// CHECK-SAME: %[[A:.*]]: i32, %[[B:.*]]: i32)
// CHECK: %[[P:.*]] = arith.muli %[[A]], %[[B]] : i32
// CHECK-DAG: %[[A64:.*]] = arith.extsi %[[A]] : i32 to i64
// CHECK-DAG: %[[B64:.*]] = arith.extsi %[[B]] : i32 to i64
// CHECK: %[[EXACT:.*]] = arith.muli %[[A64]], %[[B64]] : i64
// CHECK: %[[P64:.*]] = arith.extsi %[[P]] : i32 to i64
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[EXACT]], %[[P64]] : i64
// CHECK: ttkernel.assert %[[OK]], "integer multiplication at k.py:5:1: overflow: the product is outside the 32-bit range
func.func @mul32(%a: i32, %b: i32) -> i32 {
  %p = arith.muli %a, %b overflow<nsw> : i32 loc("k.py":5:1)
  return %p : i32
}

// -----

// A 64-bit product: p / a == b (a neither 0 nor -1; the division is marked
// so that ttkernel-assert-divisors leaves it alone), b != MIN when a is -1.
// CHECK-LABEL: func.func @mul64(
// CHECK-SAME: %[[A:.*]]: i64, %[[B:.*]]: i64)
// CHECK: %[[P:.*]] = arith.muli %[[A]], %[[B]] : i64
// CHECK: %[[Q:.*]] = arith.divsi %[[P]], %{{.*}} {ttkernel.divisor_checked} : i64
// CHECK: arith.cmpi eq, %[[Q]], %[[B]] : i64
// CHECK: ttkernel.assert %{{.*}}, "integer multiplication at k.py:6:1: overflow: the product is outside the 64-bit range
func.func @mul64(%a: i64, %b: i64) -> i64 {
  %p = arith.muli %a, %b overflow<nsw> : i64 loc("k.py":6:1)
  return %p : i64
}

// -----

// A narrowing (an index converted to ttl.i32): the value must come back
// when widened again.
// CHECK-LABEL: func.func @trunc(
// CHECK-SAME: %[[X:.*]]: i64)
// CHECK: %[[T:.*]] = arith.trunci %[[X]] : i64 to i32
// CHECK: %[[BACK:.*]] = arith.extsi %[[T]] : i32 to i64
// CHECK: %[[OK:.*]] = arith.cmpi eq, %[[BACK]], %[[X]] : i64
// CHECK: ttkernel.assert %[[OK]], "integer conversion at k.py:8:3: overflow: the value is outside the 32-bit range [-2147483648, 2147483647] (a Tensix RISC-V core would go on with it wrapped around)"
func.func @trunc(%x: i64) -> i32 {
  %t = arith.trunci %x overflow<nsw> : i64 to i32 loc("k.py":8:3)
  return %t : i32
}

// -----

// The user's int(x) (an fptosi marked ttkernel.must_fit): ASSERTs before
// the conversion (C++ leaves NaN or a value outside the type undefined)
// that x is a number and that MIN <= x < -MIN; the mark goes.
// CHECK-LABEL: func.func @float_to_int(
// CHECK-SAME: %[[X:.*]]: f32)
// CHECK: %[[NUM:.*]] = arith.cmpf ord, %[[X]], %[[X]] : f32
// CHECK: ttkernel.assert %[[NUM]], "float conversion at k.py:4:9: int() of NaN: a NaN has no integer value (a Tensix core would go on with a meaningless integer)"
// CHECK-DAG: %[[LOW:.*]] = arith.constant -2.14748365E+9 : f32
// CHECK-DAG: %[[HIGH:.*]] = arith.constant 2.14748365E+9 : f32
// CHECK-DAG: %[[GE:.*]] = arith.cmpf oge, %[[X]], %[[LOW]] : f32
// CHECK-DAG: %[[LT:.*]] = arith.cmpf olt, %[[X]], %[[HIGH]] : f32
// CHECK: %[[OK:.*]] = arith.andi %[[GE]], %[[LT]] : i1
// CHECK: ttkernel.assert %[[OK]], "float conversion at k.py:4:9: int() of a float outside the 32-bit range [-2147483648, 2147483647]: its integer part does not fit (a Tensix core would go on with a meaningless integer)"
// CHECK-NEXT: %[[I:.*]] = arith.fptosi %[[X]] : f32 to i32
// CHECK-NOT: must_fit
// CHECK: return %[[I]]
func.func @float_to_int(%x: f32) -> i32 {
  %i = arith.fptosi %x {ttkernel.must_fit} : f32 to i32 loc("k.py":4:9)
  return %i : i32
}

// -----

// An unmarked conversion (the compiler's own, e.g. ttl.read_index's) is
// left alone.
// CHECK-LABEL: func.func @unmarked(
// CHECK-NOT: ttkernel.assert
func.func @unmarked(%x: bf16) -> i32 {
  %i = arith.fptosi %x : bf16 to i32
  return %i : i32
}
