// RUN: ttlx-opt %s -split-input-file -convert-ttl-to-ttkernel -canonicalize | FileCheck %s --enable-var-scope

// A row-major tensor's pages are the rows of its last dimension (the
// accessor's page is 40 bf16 = 80 bytes); a 2x20 block from column 20 is
// two reads of 40 bytes from byte 40 of pages 2 and 3, into consecutive
// 40-byte rows of the block. Its 40 elements fill one (tile-sized) DFB page.
// CHECK-LABEL: func.func @read_rows()
// CHECK-DAG: %[[ROW:.*]] = arith.constant 80 : i32
// CHECK-DAG: %[[OFF:.*]] = arith.constant 40 : i32
// CHECK-DAG: %[[P2:.*]] = arith.constant 2 : i32
// CHECK-DAG: %[[P3:.*]] = arith.constant 3 : i32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i32
// CHECK: %[[ACC:.*]] = ttkernel.tensor_accessor %{{.*}}, %{{.*}}, %[[ROW]]
// CHECK: ttkernel.cb_reserve_back %{{.*}}, %[[ONE]]
// CHECK: %[[WP:.*]] = ttkernel.get_write_ptr
// CHECK-NOT: ttkernel.assert
// CHECK: %[[A0:.*]] = ttkernel.get_noc_addr_page %[[P2]], %[[ACC]], %[[OFF]]
// CHECK: ttkernel.noc_async_read %[[A0]], %[[WP]], %[[OFF]]
// CHECK: %[[A1:.*]] = ttkernel.get_noc_addr_page %[[P3]], %[[ACC]], %[[OFF]]
// CHECK: %[[WP1:.*]] = arith.addi %[[WP]], %[[OFF]] : i32
// CHECK: ttkernel.noc_async_read %[[A1]], %[[WP1]], %[[OFF]]
func.func @read_rows(%x: tensor<6x40xbf16, #ttl.layout<row_major>>)
    attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c2 = arith.constant 2 : index
  %c20 = arith.constant 20 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 20], bf16, 2, row_major>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[2, 20], bf16, 2, row_major>
  %h = ttl.copy_to_block %x[%c2, %c20], %b : tensor<6x40xbf16, #ttl.layout<row_major>>, tensor<2x20x!ttl.element<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[2, 20], bf16, 2, row_major>
  return
}

// -----

// A start known only at run time: checked against the tensor by the
// runtime (in elements), then the page and byte offset follow from it.
// CHECK-LABEL: func.func @write_dynamic()
// CHECK: %[[N:.*]] = ttkernel.my_logical_x
// CHECK: ttkernel.assert %{{.*}}, "ttl.copy_to_tensor at {{.*}}row-major.mlir:{{[0-9]+}}:8: a block of 8 elements at coordinates outside the tensor of 48 elements (starts 0..40 can start a block)"
// CHECK: %[[BYTES:.*]] = arith.muli %[[N]], %{{.*}} : index
// CHECK: %[[OFF:.*]] = arith.index_cast %[[BYTES]] : index to i32
// CHECK: %[[DST:.*]] = ttkernel.get_noc_addr_page %{{.*}}, %{{.*}}, %[[OFF]]
// CHECK: ttkernel.noc_async_write %{{.*}}, %[[DST]], %{{.*}}
func.func @write_dynamic(%w: tensor<48xbf16, #ttl.layout<row_major>>)
    attributes {ttl.thread = #ttl.thread<datamovement>} {
  %n = ttl.node 0
  %d = ttl.bind_dfb 0 : !ttl.dfb<[8], bf16, 2, row_major>
  %b = ttl.dfb_wait %d : !ttl.dfb<[8], bf16, 2, row_major>
  %h = ttl.copy_to_tensor %b, %w[%n] : tensor<8x!ttl.element<bf16>>, tensor<48xbf16, #ttl.layout<row_major>>
  ttl.wait %h : !ttl.transfer_handle<write>
  ttl.dfb_pop %d : !ttl.dfb<[8], bf16, 2, row_major>
  return
}
