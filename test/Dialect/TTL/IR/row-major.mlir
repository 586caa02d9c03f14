// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope

// Row-major DFBs count elements (any rank), their blocks are tensors of
// !ttl.element; row-major DRAM tensors carry #ttl.layout<row_major> and are
// indexed in elements.
// CHECK-LABEL: func.func @copies
// CHECK: ttl.bind_dfb 0 : !ttl.dfb<[2, 20], bf16, 2, row_major>
// CHECK: ttl.copy_to_block %{{.*}}[%{{.*}}, %{{.*}}], %{{.*}} : tensor<6x40xbf16, #ttl.layout<row_major>>, tensor<2x20x!ttl.element<bf16>>
// CHECK: ttl.bind_dfb 1 : !ttl.dfb<[16], f32, 1, row_major>
// CHECK: ttl.copy_to_tensor %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] : tensor<16x!ttl.element<f32>>, tensor<2x3x16xf32, #ttl.layout<row_major>>
func.func @copies(%x: tensor<6x40xbf16, #ttl.layout<row_major>>,
                  %t: tensor<2x3x16xf32, #ttl.layout<row_major>>)
    attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c20 = arith.constant 20 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 20], bf16, 2, row_major>
  %b = ttl.dfb_reserve %d : !ttl.dfb<[2, 20], bf16, 2, row_major>
  %h = ttl.copy_to_block %x[%c0, %c20], %b : tensor<6x40xbf16, #ttl.layout<row_major>>, tensor<2x20x!ttl.element<bf16>>
  ttl.wait %h : !ttl.transfer_handle<read>
  ttl.dfb_push %d : !ttl.dfb<[2, 20], bf16, 2, row_major>
  %e = ttl.bind_dfb 1 : !ttl.dfb<[16], f32, 1, row_major>
  %w = ttl.dfb_wait %e : !ttl.dfb<[16], f32, 1, row_major>
  %g = ttl.copy_to_tensor %w, %t[%c0, %c0, %c0] : tensor<16x!ttl.element<f32>>, tensor<2x3x16xf32, #ttl.layout<row_major>>
  ttl.wait %g : !ttl.transfer_handle<write>
  ttl.dfb_pop %e : !ttl.dfb<[16], f32, 1, row_major>
  return
}

// Shape views of row-major blocks (down to one dimension) and element
// access: one row per leading coordinate, the last extent's column.
// CHECK-LABEL: func.func @views_and_access
// CHECK: ttl.squeeze %{{.*}}, dims = [0] : tensor<1x50x!ttl.element<bf16>> -> tensor<50x!ttl.element<bf16>>
// CHECK: ttl.unsqueeze %{{.*}}, dims = [0, 2] : tensor<1x50x!ttl.element<bf16>> -> tensor<1x1x1x50x!ttl.element<bf16>>
func.func @views_and_access(%v: bf16) attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 50], bf16, 2, row_major>
  %b = ttl.dfb_wait %d : !ttl.dfb<[1, 50], bf16, 2, row_major>
  %s = ttl.squeeze %b, dims = [0] : tensor<1x50x!ttl.element<bf16>> -> tensor<50x!ttl.element<bf16>>
  %u = ttl.unsqueeze %b, dims = [0, 2] : tensor<1x50x!ttl.element<bf16>> -> tensor<1x1x1x50x!ttl.element<bf16>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 50], bf16, 2, row_major>
  return
}

// CHECK-LABEL: func.func @element_access
// CHECK: ttl.element_read %{{.*}}[%{{.*}}, %{{.*}}] : tensor<2x3x50x!ttl.element<bf16>> -> bf16
// CHECK: ttl.element_write %{{.*}}[%{{.*}}, %{{.*}}], %{{.*}} : tensor<40x!ttl.element<f32>>, f32
func.func @element_access(%v: f32) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c5 = arith.constant 5 : index
  %c39 = arith.constant 39 : index
  %d = ttl.bind_dfb 0 : !ttl.dfb<[2, 3, 50], bf16, 2, row_major>
  %b = ttl.dfb_wait %d : !ttl.dfb<[2, 3, 50], bf16, 2, row_major>
  %r = ttl.element_read %b[%c5, %c0] : tensor<2x3x50x!ttl.element<bf16>> -> bf16
  ttl.dfb_pop %d : !ttl.dfb<[2, 3, 50], bf16, 2, row_major>
  %e = ttl.bind_dfb 1 : !ttl.dfb<[40], f32, 2, row_major>
  %w = ttl.dfb_reserve %e : !ttl.dfb<[40], f32, 2, row_major>
  ttl.element_write %w[%c0, %c39], %v : tensor<40x!ttl.element<f32>>, f32
  ttl.dfb_push %e : !ttl.dfb<[40], f32, 2, row_major>
  return
}

// @ and transpose of row-major blocks go through tiles: a waited row-major
// block tilized into a reserved tiled one (its last two dimensions in
// tiles), and a tiled DFB's front block moved into a row-major DFB.
// CHECK-LABEL: func.func @tilize_untilize
// CHECK: ttl.tilize %{{.*}}, %{{.*}} : tensor<2x64x96x!ttl.element<bf16>>, tensor<2x2x3x!ttl.tile<bf16>>
// CHECK: ttl.untilize %{{.*}}, %{{.*}} : !ttl.dfb<[2, 2, 3], bf16, 1>, !ttl.dfb<[2, 64, 96], bf16, 1, row_major>
func.func @tilize_untilize() attributes {ttl.thread = #ttl.thread<compute>} {
  %r = ttl.bind_dfb 0 : !ttl.dfb<[2, 64, 96], bf16, 2, row_major>
  %t = ttl.bind_dfb 1 : !ttl.dfb<[2, 2, 3], bf16, 1>
  %o = ttl.bind_dfb 2 : !ttl.dfb<[2, 64, 96], bf16, 1, row_major>
  %rb = ttl.dfb_wait %r : !ttl.dfb<[2, 64, 96], bf16, 2, row_major>
  %tb = ttl.dfb_reserve %t : !ttl.dfb<[2, 2, 3], bf16, 1>
  ttl.tilize %rb, %tb : tensor<2x64x96x!ttl.element<bf16>>, tensor<2x2x3x!ttl.tile<bf16>>
  ttl.dfb_push %t : !ttl.dfb<[2, 2, 3], bf16, 1>
  ttl.dfb_pop %r : !ttl.dfb<[2, 64, 96], bf16, 2, row_major>
  ttl.untilize %t, %o : !ttl.dfb<[2, 2, 3], bf16, 1>, !ttl.dfb<[2, 64, 96], bf16, 1, row_major>
  %ob = ttl.dfb_wait %o : !ttl.dfb<[2, 64, 96], bf16, 1, row_major>
  ttl.dfb_pop %o : !ttl.dfb<[2, 64, 96], bf16, 1, row_major>
  return
}
