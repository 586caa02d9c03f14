// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// Round trip of the ttl.Semaphore ops.

// CHECK-LABEL: func.func @semaphores
// CHECK-SAME: (%[[X:.*]]: index, %[[Y:.*]]: index, %[[V:.*]]: i32)
func.func @semaphores(%x: index, %y: index, %v: i32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  // CHECK: ttl.semaphore_wait 0, %[[V]]{{$}}
  ttl.semaphore_wait 0, %v
  // CHECK: ttl.semaphore_wait 1, %[[V]] at_least
  ttl.semaphore_wait 1, %v at_least
  // CHECK: ttl.semaphore_set 0, %[[V]]
  ttl.semaphore_set 0, %v
  // CHECK: ttl.semaphore_remote_set 2, %[[X]], %[[Y]], %[[V]]
  ttl.semaphore_remote_set 2, %x, %y, %v
  // CHECK: ttl.semaphore_remote_inc 2, %[[X]], %[[Y]], %[[V]]
  ttl.semaphore_remote_inc 2, %x, %y, %v
  // CHECK: ttl.semaphore_multicast_set 3, [%[[X]], %[[Y]]] to [%[[Y]], %[[X]]], %[[V]]
  ttl.semaphore_multicast_set 3, [%x, %y] to [%y, %x], %v
  return
}
