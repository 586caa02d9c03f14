// RUN: ttlx-opt %s -convert-ttl-to-ttkernel -canonicalize -cse | FileCheck %s --enable-var-scope
// RUN: ttlx-opt %s -convert-ttl-to-ttkernel -ttkernel-emulate-scalar-floats | FileCheck %s --check-prefix=EMUL
// ttl.read_index loads the element as element_read does, converts it toward
// zero (arith.fptosi) and casts it to an index; on the data-movement core
// the conversion becomes integer code.

// Element (0, 33) of a 1x2 bf16 block: tile 1, face 0, offset 1024 + 1.
// CHECK-LABEL: func.func @read_index
// CHECK-DAG: %[[OFF:.*]] = arith.constant 1025 : i32
// CHECK: %[[RP:.*]] = ttkernel.get_read_ptr
// CHECK: %[[V:.*]] = ttkernel.l1_load %[[RP]][%[[OFF]]] : bf16
// CHECK: %[[I:.*]] = arith.fptosi %[[V]] : bf16 to i32
// CHECK: %[[X:.*]] = arith.index_cast %[[I]] : i32 to index
// CHECK: return %[[X]] : index
// EMUL-LABEL: func.func @read_index
// EMUL-NOT: arith.fptosi
// EMUL: call @{{.*}}
func.func @read_index() -> index attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c33 = arith.constant 33 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], bf16, 1>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 2], bf16, 1>
  %i = ttl.read_index %b[%c0, %c33] : tensor<1x2x!ttl.tile<bf16>> -> index
  ttl.dfb_pop %d : !ttl.dfb<[1, 2], bf16, 1>
  return %i : index
}
