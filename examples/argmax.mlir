// Example kernel: `python -m ttlx.demo examples/argmax.mlir` prints its C++.
// Argmax of each row of a bf16 tile in a data-movement thread: element_read
// in an scf.for whose iter_args carry the best value and its index, result
// written with element_write. Two threads (a core's two data-movement
// processors): reader, and argmax that also writes the result out.

func.func @reader(%src: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %blk = ttl.dfb_reserve %in : !ttl.dfb<[1, 1], bf16, 2>
  %xf = ttl.copy_to_block %src[%c0, %c0], %blk : tensor<32x32xbf16>, tensor<1x1x!ttl.tile<bf16>>
  ttl.wait %xf : !ttl.transfer_handle<read>
  ttl.dfb_push %in : !ttl.dfb<[1, 1], bf16, 2>
  return
}

// The results are patched into the waited block in place (columns 0 and 1 of
// each row), which then goes to DRAM.
func.func @argmax(%dst: tensor<32x32xbf16>) attributes {ttl.thread = #ttl.thread<datamovement>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %in = ttl.bind_dfb 0 : !ttl.dfb<[1, 1], bf16, 2>
  %blk = ttl.dfb_wait %in : !ttl.dfb<[1, 1], bf16, 2>
  scf.for %r = %c0 to %c32 step %c1 {
    %first = ttl.element_read %blk[%r, %c0] : tensor<1x1x!ttl.tile<bf16>> -> bf16
    %best:2 = scf.for %c = %c1 to %c32 step %c1 iter_args(%bv = %first, %bi = %c0) -> (bf16, index) {
      %v = ttl.element_read %blk[%r, %c] : tensor<1x1x!ttl.tile<bf16>> -> bf16
      %gt = arith.cmpf ogt, %v, %bv : bf16
      %nv = arith.select %gt, %v, %bv : bf16
      %ni = arith.select %gt, %c, %bi : index
      scf.yield %nv, %ni : bf16, index
    }
    %idx = arith.index_cast %best#1 : index to i32
    %fidx = arith.sitofp %idx : i32 to bf16
    ttl.element_write %blk[%r, %c0], %best#0 : tensor<1x1x!ttl.tile<bf16>>, bf16
    ttl.element_write %blk[%r, %c1], %fidx : tensor<1x1x!ttl.tile<bf16>>, bf16
  }
  %xf = ttl.copy_to_tensor %blk, %dst[%c0, %c0] : tensor<1x1x!ttl.tile<bf16>>, tensor<32x32xbf16>
  ttl.wait %xf : !ttl.transfer_handle<write>
  ttl.dfb_pop %in : !ttl.dfb<[1, 1], bf16, 2>
  return
}
