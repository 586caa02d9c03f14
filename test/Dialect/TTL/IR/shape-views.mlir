// RUN: ttlx-opt %s -split-input-file | ttlx-opt -split-input-file | FileCheck %s --enable-var-scope

// ttl.squeeze / ttl.unsqueeze: the same tiles, dimensions of extent 1
// removed or inserted.
// CHECK-LABEL: func.func @views
// CHECK: %[[S:.*]] = ttl.squeeze %{{.*}}, dims = [0] : tensor<1x2x3x!ttl.tile<bf16>> -> tensor<2x3x!ttl.tile<bf16>>
// CHECK: %[[U:.*]] = ttl.unsqueeze %[[S]], dims = [0, 3] : tensor<2x3x!ttl.tile<bf16>> -> tensor<1x2x3x1x!ttl.tile<bf16>>
// CHECK: ttl.squeeze %{{.*}}, dims = [-1, -4] : tensor<1x2x3x1x!ttl.tile<bf16>> -> tensor<2x3x!ttl.tile<bf16>>
func.func @views(%x: tensor<1x2x3x!ttl.tile<bf16>>) -> tensor<2x3x!ttl.tile<bf16>> attributes {ttl.thread = #ttl.thread<compute>} {
  %s = ttl.squeeze %x, dims = [0] : tensor<1x2x3x!ttl.tile<bf16>> -> tensor<2x3x!ttl.tile<bf16>>
  %u = ttl.unsqueeze %s, dims = [0, 3] : tensor<2x3x!ttl.tile<bf16>> -> tensor<1x2x3x1x!ttl.tile<bf16>>
  %t = ttl.squeeze %u, dims = [-1, -4] : tensor<1x2x3x1x!ttl.tile<bf16>> -> tensor<2x3x!ttl.tile<bf16>>
  return %t : tensor<2x3x!ttl.tile<bf16>>
}
