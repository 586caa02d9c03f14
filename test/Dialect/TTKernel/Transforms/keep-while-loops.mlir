// RUN: ttlx-opt %s -split-input-file -ttkernel-keep-while-loops | FileCheck %s --enable-var-scope
// RUN: ttlx-opt %s -split-input-file -ttkernel-to-emitc | FileCheck %s --check-prefix=EMITC
// The runaway thread it leaves for the watchdog: test/python/test_runtime_watchdog.py.

// A while loop without side effects, whose result nobody uses, never ends
// here (%i never changes): it is kept, so the device's spin is not erased
// by the canonicalizer.
// CHECK-LABEL: func.func @endless(
// CHECK: } do {
// CHECK-NEXT: ^bb0(
// CHECK-NEXT: ttkernel.sideeffect
// EMITC-LABEL: emitc.func @endless(
// EMITC: do {
// EMITC: } while {
func.func @endless(%n: i64) {
  %r = scf.while (%i = %n) : (i64) -> i64 {
    %c10 = arith.constant 10 : i64
    %go = arith.cmpi slt, %i, %c10 : i64
    scf.condition(%go) %i : i64
  } do {
  ^bb0(%j: i64):
    scf.yield %j : i64
  }
  return
}

// -----

// A loop with an API call has effects already: no keeper.
// CHECK-LABEL: func.func @printing(
// CHECK-NOT: ttkernel.sideeffect
func.func @printing(%n: i64) {
  scf.while (%i = %n) : (i64) -> () {
    %c10 = arith.constant 10 : i64
    %go = arith.cmpi slt, %i, %c10 : i64
    scf.condition(%go)
  } do {
    ttkernel.dprint "spin\0A"
    scf.yield %n : i64
  }
  return
}

// -----

// Nested loops: the inner one is kept, which keeps the outer one too.
// CHECK-LABEL: func.func @nested(
// CHECK-COUNT-1: ttkernel.sideeffect
// CHECK-NOT: ttkernel.sideeffect
func.func @nested(%n: i64) {
  scf.while (%i = %n) : (i64) -> () {
    %c10 = arith.constant 10 : i64
    %go = arith.cmpi slt, %i, %c10 : i64
    scf.condition(%go)
  } do {
    scf.while (%k = %n) : (i64) -> () {
      %c3 = arith.constant 3 : i64
      %more = arith.cmpi slt, %k, %c3 : i64
      scf.condition(%more)
    } do {
      scf.yield %n : i64
    }
    scf.yield %n : i64
  }
  return
}
