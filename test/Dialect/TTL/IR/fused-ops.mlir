// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// Round trip of ttl.where and the fused Engram ops.

// CHECK-LABEL: func.func @ops
// CHECK: ttl.where %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>, f32 -> tensor<1x2x!ttl.tile<f32>>
// CHECK: ttl.engram_gate %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {eps = 1.1920929E-7 : f32, scale = 3.125000e-02 : f32} : tensor<1x2x!ttl.tile<f32>>
// CHECK: ttl.engram_gate %{{[^,]+}}, %{{[^,]+}}, %{{[^,]+}}, %{{[^, ]+}} {eps = 1.1920929E-7 : f32, scale = 3.125000e-02 : f32} : tensor<1x2x!ttl.tile<f32>>
// CHECK: ttl.depthwise_conv1d %{{.*}}, %{{.*}}, [%{{.*}}, %{{.*}}] {dilation = 3 : i64, kernel_size = 2 : i64, silu} : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>
func.func @ops(%s: f32) attributes {ttl.thread = #ttl.thread<compute>} {
  %d = ttl.bind_dfb 0 : !ttl.dfb<[1, 2], f32, 2>
  %a = ttl.dfb_wait %d : !ttl.dfb<[1, 2], f32, 2>
  %w = ttl.where %a, %a, %s : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>, f32 -> tensor<1x2x!ttl.tile<f32>>
  %g = ttl.engram_gate %a, %a, %a, %a, %a {eps = 1.1920929e-07 : f32, scale = 0.03125 : f32} : tensor<1x2x!ttl.tile<f32>>
  %g1 = ttl.engram_gate %a, %a, %a, %a {eps = 1.1920929e-07 : f32, scale = 0.03125 : f32} : tensor<1x2x!ttl.tile<f32>>
  %c = ttl.depthwise_conv1d %a, %a, [%a, %a] {kernel_size = 2 : i64, dilation = 3 : i64, silu} : tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>, tensor<1x2x!ttl.tile<f32>>
  ttl.dfb_pop %d : !ttl.dfb<[1, 2], f32, 2>
  return
}
