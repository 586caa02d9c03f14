// RUN: ttlx-opt %s -split-input-file -convert-ttl-to-ttkernel | FileCheck %s --enable-var-scope
// ttl.Semaphore k is tt-metal semaphore k (get_semaphore(k)).

// Local wait and set on this core's word.
// CHECK-LABEL: func.func @local(
// CHECK-SAME: %[[V:.*]]: i32)
// CHECK: %[[A:.*]] = ttkernel.get_semaphore 1
// CHECK: ttkernel.noc_semaphore_wait %[[A]], %[[V]]
// CHECK: %[[B:.*]] = ttkernel.get_semaphore 1
// CHECK: ttkernel.noc_semaphore_wait_min %[[B]], %[[V]]
// CHECK: %[[C:.*]] = ttkernel.get_semaphore 0
// CHECK: ttkernel.noc_semaphore_set %[[C]], %[[V]]
func.func @local(%v: i32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  ttl.semaphore_wait 1, %v
  ttl.semaphore_wait 1, %v at_least
  ttl.semaphore_set 0, %v
  return
}

// -----

// A remote set is one NOC write of the word on node (x, y); an increment
// is noc_semaphore_inc.
// CHECK-LABEL: func.func @remote(
// CHECK-SAME: %[[X:.*]]: index, %[[Y:.*]]: index, %[[V:.*]]: i32)
// CHECK: %[[S:.*]] = ttkernel.get_semaphore 2
// CHECK-DAG: %[[XI:.*]] = arith.index_cast %[[X]] : index to i32
// CHECK-DAG: %[[YI:.*]] = arith.index_cast %[[Y]] : index to i32
// CHECK: %[[N:.*]] = ttkernel.get_noc_addr %[[XI]], %[[YI]], %[[S]]
// CHECK: ttkernel.noc_inline_dw_write %[[N]], %[[V]]
// CHECK: %[[S2:.*]] = ttkernel.get_semaphore 2
// CHECK: %[[N2:.*]] = ttkernel.get_noc_addr %{{.*}}, %{{.*}}, %[[S2]]
// CHECK: ttkernel.noc_semaphore_inc %[[N2]], %[[V]]
func.func @remote(%x: index, %y: index, %v: i32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  ttl.semaphore_remote_set 2, %x, %y, %v
  ttl.semaphore_remote_inc 2, %x, %y, %v
  return
}

// -----

// A multicast set writes the word on each node of [x0, x1) x [y0, y1).
// CHECK-LABEL: func.func @multicast(
// CHECK-SAME: %[[X0:.*]]: index, %[[Y0:.*]]: index, %[[X1:.*]]: index, %[[Y1:.*]]: index, %[[V:.*]]: i32)
// CHECK: %[[S:.*]] = ttkernel.get_semaphore 0
// CHECK: scf.for %[[I:.*]] = %[[X0]] to %[[X1]]
// CHECK: scf.for %[[J:.*]] = %[[Y0]] to %[[Y1]]
// CHECK-DAG: arith.index_cast %[[I]] : index to i32
// CHECK-DAG: arith.index_cast %[[J]] : index to i32
// CHECK: %[[N:.*]] = ttkernel.get_noc_addr %{{.*}}, %{{.*}}, %[[S]]
// CHECK: ttkernel.noc_inline_dw_write %[[N]], %[[V]]
func.func @multicast(%x0: index, %y0: index, %x1: index, %y1: index, %v: i32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  ttl.semaphore_multicast_set 0, [%x0, %y0] to [%x1, %y1], %v
  return
}
