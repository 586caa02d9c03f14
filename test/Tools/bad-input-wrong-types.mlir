// RUN: not ttlx-opt %s -split-input-file 2>&1 | FileCheck %s
// RUN: not ttlx-translate --ttkernel-to-cpp -split-input-file %s 2>&1 | FileCheck %s --check-prefix=TRANSLATE

// An index where a DFB is expected.
// CHECK: error: 'ttl.dfb_push' op operand #0 must be a dataflow buffer (upstream tt-lang's !ttl.cb), but got 'index'
// TRANSLATE: error: 'ttl.dfb_push' op operand #0 must be a dataflow buffer
func.func @wrong_operand(%i: index) {
  ttl.dfb_push %i : index
  return
}

// -----

// A bad attribute value where the DFB index goes.
// CHECK: error: custom op 'ttl.bind_dfb' invalid kind of attribute specified
// TRANSLATE: error: custom op 'ttl.bind_dfb' invalid kind of attribute specified
func.func @wrong_attr() {
  %d = ttl.bind_dfb "zero" : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// -----

// Generic form with a result type that contradicts the inferred one.
// CHECK: error: 'ttl.copy_to_block' op inferred type(s) '!ttl.transfer_handle<read>' are incompatible with return type(s) of operation '!ttl.transfer_handle<write>'
func.func @wrong_result(%t: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[1, 1], bf16, 2>
  %h = "ttl.copy_to_block"(%t, %c0, %c0, %b) : (tensor<32x32xbf16>, index, index, tensor<1x1x!ttl.tile<bf16>>) -> !ttl.transfer_handle<write>
  ttl.dfb_push %d : !ttl.dfb<[1, 1], bf16, 2>
  return
}

