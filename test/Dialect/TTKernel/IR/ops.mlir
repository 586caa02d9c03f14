// RUN: ttlx-opt %s | ttlx-opt | FileCheck %s --enable-var-scope
// Round trip of every TTKernel op.

// CHECK-LABEL: func.func @data_movement
func.func @data_movement(%i: i32) {
  // CHECK: %[[CB:.*]] = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
  // CHECK: %[[CTA:.*]] = ttkernel.get_compile_time_arg_val 3 : i32
  // CHECK: %[[ADDR:.*]] = ttkernel.get_arg_val 0 : i32
  %cb = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
  %cta = ttkernel.get_compile_time_arg_val 3 : i32
  %addr = ttkernel.get_arg_val 0 : i32
  // CHECK: %[[ARGS:.*]] = ttkernel.tensor_accessor_args 0
  // CHECK: %[[ACC:.*]] = ttkernel.tensor_accessor %[[ARGS]], %[[ADDR]], %[[CTA]]
  %args = ttkernel.tensor_accessor_args 0
  %acc = ttkernel.tensor_accessor %args, %addr, %cta
  // CHECK: ttkernel.cb_reserve_back %[[CB]], %[[N:.*]]
  // CHECK: %[[WP:.*]] = ttkernel.get_write_ptr %[[CB]]
  // CHECK: ttkernel.noc_async_read_tile %{{.*}}, %[[ACC]], %[[WP]]
  // CHECK: ttkernel.noc_async_read_barrier
  // CHECK: ttkernel.cb_push_back %[[CB]], %[[N]]
  %n = arith.constant 1 : i32
  ttkernel.cb_reserve_back %cb, %n
  %wp = ttkernel.get_write_ptr %cb
  ttkernel.noc_async_read_tile %i, %acc, %wp
  ttkernel.noc_async_read_barrier
  ttkernel.cb_push_back %cb, %n
  // CHECK: ttkernel.cb_wait_front %[[CB]], %[[N]]
  // CHECK: %[[RP:.*]] = ttkernel.get_read_ptr %[[CB]]
  // CHECK: %[[TS:.*]] = ttkernel.get_tile_size %[[CB]]
  // CHECK: ttkernel.noc_async_write_tile %{{.*}}, %[[ACC]], %[[RP]]
  // CHECK: ttkernel.noc_async_write_barrier
  // CHECK: ttkernel.cb_pop_front %[[CB]], %[[N]]
  ttkernel.cb_wait_front %cb, %n
  %rp = ttkernel.get_read_ptr %cb
  %ts = ttkernel.get_tile_size %cb
  ttkernel.noc_async_write_tile %i, %acc, %rp
  ttkernel.noc_async_write_barrier
  ttkernel.cb_pop_front %cb, %n
  // CHECK: ttkernel.my_logical_x
  // CHECK: ttkernel.my_logical_y
  %x = ttkernel.my_logical_x
  %y = ttkernel.my_logical_y
  // CHECK: %[[V:.*]] = ttkernel.l1_load %[[RP]][%{{.*}}] : bf16
  // CHECK: ttkernel.l1_store %[[WP]][%{{.*}}], %[[V]] : bf16
  // CHECK: ttkernel.l1_load %[[RP]][%{{.*}}] : i32
  %v = ttkernel.l1_load %rp[%i] : bf16
  ttkernel.l1_store %wp[%i], %v : bf16
  %w = ttkernel.l1_load %rp[%i] : i32
  // CHECK: ttkernel.assert %{{.*}}, "in range"
  %ok = arith.constant true
  ttkernel.assert %ok, "in range"
  // CHECK: ttkernel.dprint "x = {}, i = {}\0A", %{{.*}}, %{{.*}} : index, i32
  ttkernel.dprint "x = {}, i = {}\0A", %x, %i : index, i32
  // CHECK: ttkernel.dprint "f = {}, bits = {}\0A", %{{.*}}, %{{.*}} : f32, i32 {f32_bits = array<i1: false, true>}
  %f = arith.constant 1.5 : f32
  ttkernel.dprint "f = {}, bits = {}\0A", %f, %i : f32, i32 {f32_bits = array<i1: false, true>}
  return
}

// CHECK-LABEL: func.func @spin
// CHECK: } do {
// CHECK-NEXT: ttkernel.sideeffect
func.func @spin(%n: i64) {
  scf.while (%i = %n) : (i64) -> () {
    %c10 = arith.constant 10 : i64
    %go = arith.cmpi slt, %i, %c10 : i64
    scf.condition(%go)
  } do {
    ttkernel.sideeffect
    scf.yield %n : i64
  }
  return
}

// CHECK-LABEL: func.func @compute
func.func @compute(%cb: !ttkernel.cb, %i: i32, %f: f32) {
  // CHECK: ttkernel.tile_regs_acquire
  // CHECK: ttkernel.reconfig_data_format %{{.*}}, %{{.*}}
  // CHECK: ttkernel.reconfig_data_format_srca %{{.*}}
  // CHECK: ttkernel.reconfig_data_format_srcb %{{.*}}
  // CHECK: ttkernel.copy_init %{{.*}}
  // CHECK: ttkernel.copy_tile %{{.*}}, %{{.*}}, %{{.*}}
  // CHECK: ttkernel.add_tiles_bcast_cols %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}
  // CHECK: ttkernel.exp_tile_init
  // CHECK: ttkernel.exp_tile %{{.*}}
  // CHECK: ttkernel.binary_max_tile %{{.*}}, %{{.*}}, %{{.*}}
  // CHECK: ttkernel.fill_tile %{{.*}}, %{{.*}}
  // CHECK: ttkernel.reduce_init sum row %{{.*}}, %{{.*}}, %{{.*}}
  // CHECK: ttkernel.reduce_tile max col %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}
  // CHECK: ttkernel.tile_regs_commit
  // CHECK: ttkernel.tile_regs_wait
  // CHECK: ttkernel.pack_reconfig_data_format %{{.*}}
  // CHECK: ttkernel.pack_tile %{{.*}}, %{{.*}}, %{{.*}}
  // CHECK: ttkernel.tile_regs_release
  ttkernel.tile_regs_acquire
  ttkernel.reconfig_data_format %cb, %cb
  ttkernel.reconfig_data_format_srca %cb
  ttkernel.reconfig_data_format_srcb %cb
  ttkernel.copy_init %cb
  ttkernel.copy_tile %cb, %i, %i
  ttkernel.add_tiles_bcast_cols %cb, %cb, %i, %i, %i
  ttkernel.exp_tile_init
  ttkernel.exp_tile %i
  ttkernel.binary_max_tile %i, %i, %i
  ttkernel.fill_tile %i, %f
  ttkernel.reduce_init sum row %cb, %cb, %cb
  ttkernel.reduce_tile max col %cb, %cb, %i, %i, %i
  ttkernel.tile_regs_commit
  ttkernel.tile_regs_wait
  ttkernel.pack_reconfig_data_format %cb
  ttkernel.pack_tile %i, %cb, %i
  ttkernel.tile_regs_release
  return
}

// CHECK-LABEL: func.func @pipes_matmul_where
// CHECK: ttkernel.get_semaphore 2
// CHECK: ttkernel.get_noc_addr
// CHECK: ttkernel.noc_inline_dw_write
// CHECK: ttkernel.noc_async_read
// CHECK: ttkernel.noc_semaphore_inc
// CHECK: ttkernel.noc_semaphore_wait
// CHECK: ttkernel.noc_semaphore_wait_min
// CHECK: ttkernel.noc_semaphore_set
// CHECK: ttkernel.matmul_init
// CHECK: ttkernel.matmul_tiles
// CHECK: ttkernel.where_tile_init
// CHECK: ttkernel.where_tile %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {fp32}
func.func @pipes_matmul_where(%i: i32, %cb: !ttkernel.cb) {
  %sem = ttkernel.get_semaphore 2
  %noc = ttkernel.get_noc_addr %i, %i, %sem
  ttkernel.noc_inline_dw_write %noc, %i
  ttkernel.noc_async_read %noc, %i, %i
  ttkernel.noc_semaphore_inc %noc, %i
  ttkernel.noc_semaphore_wait %sem, %i
  ttkernel.noc_semaphore_wait_min %sem, %i
  ttkernel.noc_semaphore_set %sem, %i
  ttkernel.matmul_init %cb, %cb
  ttkernel.matmul_tiles %cb, %cb, %i, %i, %i
  ttkernel.where_tile_init
  ttkernel.where_tile %i, %i, %i, %i {fp32}
  return
}

// CHECK-LABEL: func.func @device_zones
// CHECK: ttkernel.device_zone_begin "load"
// CHECK: ttkernel.noc_async_read_barrier
// CHECK: ttkernel.device_zone_end "load"
func.func @device_zones() {
  ttkernel.device_zone_begin "load"
  ttkernel.noc_async_read_barrier
  ttkernel.device_zone_end "load"
  return
}

// CHECK-LABEL: func.func @math_library
func.func @math_library(%i: i32, %cb: !ttkernel.cb) {
  // CHECK: ttkernel.rounding_op_tile_init
  // CHECK-NEXT: ttkernel.floor_tile %{{.*}}
  // CHECK-NEXT: ttkernel.ceil_tile %{{.*}}
  // CHECK-NEXT: ttkernel.round_tile %{{.*}}, %{{.*}}
  ttkernel.rounding_op_tile_init
  ttkernel.floor_tile %i
  ttkernel.ceil_tile %i
  ttkernel.round_tile %i, %i
  // CHECK: ttkernel.clamp_tile_init
  // CHECK-NEXT: ttkernel.clamp_tile %{{.*}}, %{{.*}}, %{{.*}}
  ttkernel.clamp_tile_init
  ttkernel.clamp_tile %i, %i, %i
  // CHECK: ttkernel.remainder_binary_tile_init
  // CHECK-NEXT: ttkernel.remainder_binary_tile %{{.*}}, %{{.*}}, %{{.*}}
  ttkernel.remainder_binary_tile_init
  ttkernel.remainder_binary_tile %i, %i, %i
  // CHECK: ttkernel.transpose_init %{{.*}}
  // CHECK-NEXT: ttkernel.transpose_tile %{{.*}}, %{{.*}}, %{{.*}}
  ttkernel.transpose_init %cb
  ttkernel.transpose_tile %cb, %i, %i
  // CHECK: ttkernel.exp_tile_init_flagged {approx = true, clamp = false, scale = 1073741824 : i32}
  // CHECK-NEXT: ttkernel.exp_tile_flagged {approx = true, clamp = false, idst = 0 : i32, iterations = 4 : i32, scale = 16384 : i32, scale_en = true}
  ttkernel.exp_tile_init_flagged {approx = true, clamp = false, scale = 1073741824 : i32}
  ttkernel.exp_tile_flagged {approx = true, clamp = false, idst = 0 : i32, iterations = 4 : i32, scale = 16384 : i32, scale_en = true}
  return
}

// A call of a user header's function (ttl.call_extern_func).
// CHECK-LABEL: func.func @opaque_call
// CHECK: ttkernel.opaque_call "flip" header "/src/flip.hpp" template_args ["ttlang::DFBDescriptor<get_compile_time_arg_val(0), 1, 2, 2048>", "true"](%{{.*}}, %{{.*}} : !ttkernel.cb, i32)
// CHECK: ttkernel.opaque_call "nothing" header "/src/flip.hpp" template_args []()
func.func @opaque_call() {
  %cb = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  %mask = arith.constant 32768 : i32
  ttkernel.opaque_call "flip" header "/src/flip.hpp"
      template_args ["ttlang::DFBDescriptor<get_compile_time_arg_val(0), 1, 2, 2048>", "true"]
      (%cb, %mask : !ttkernel.cb, i32)
  ttkernel.opaque_call "nothing" header "/src/flip.hpp" template_args [] ()
  return
}

// Tilize and untilize (api/compute/tilize.h, pack_untilize.h).
// CHECK-LABEL: func.func @tilize_untilize
// CHECK: ttkernel.tilize_init %{{.*}}, %{{.*}}, %{{.*}}
// CHECK: ttkernel.tilize_block %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}
// CHECK: ttkernel.tilize_uninit %{{.*}}, %{{.*}}
// CHECK: ttkernel.pack_untilize_init<2, 4> %{{.*}}, %{{.*}}
// CHECK: ttkernel.pack_untilize_block<2, 4> %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}
// CHECK: ttkernel.pack_untilize_uninit %{{.*}}
func.func @tilize_untilize(%in: !ttkernel.cb, %out: !ttkernel.cb, %n: i32) {
  ttkernel.tilize_init %in, %n, %out
  ttkernel.tilize_block %in, %n, %out, %n, %n
  ttkernel.tilize_uninit %in, %out
  ttkernel.pack_untilize_init<2, 4> %in, %out
  ttkernel.pack_untilize_block<2, 4> %in, %n, %out, %n
  ttkernel.pack_untilize_uninit %out
  return
}
