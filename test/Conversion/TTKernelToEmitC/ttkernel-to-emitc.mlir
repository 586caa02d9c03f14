// RUN: ttlx-opt %s -split-input-file -convert-ttkernel-to-emitc | FileCheck %s --enable-var-scope

// Each TTKernel op is the tt-metal call of the same name.
// CHECK-LABEL: emitc.func @calls
func.func @calls(%id: i32) {
  // CHECK: %[[CB:.*]] = call_opaque "get_compile_time_arg_val"() {args = [2 : i32]} : () -> ui32
  // CHECK: %[[ADDR:.*]] = call_opaque "get_arg_val"() {args = [0 : i32], template_args = [ui32]} : () -> i32
  // CHECK: %[[ARGS:.*]] = call_opaque "TensorAccessorArgs"() {template_args = [1 : i32]} : () -> !emitc.opaque<"auto">
  // CHECK: %[[ACC:.*]] = call_opaque "TensorAccessor"(%[[ARGS]], %[[ADDR]], %{{.*}}) : (!emitc.opaque<"auto">, i32, i32) -> !emitc.opaque<"auto">
  %cb = ttkernel.get_compile_time_arg_val 2 : !ttkernel.cb
  %addr = ttkernel.get_arg_val 0 : i32
  %args = ttkernel.tensor_accessor_args 1
  %page = arith.constant 2048 : i32
  %acc = ttkernel.tensor_accessor %args, %addr, %page
  %n = arith.constant 1 : i32
  // CHECK: call_opaque "cb_reserve_back"(%[[CB]], %{{.*}}) : (ui32, i32) -> ()
  // CHECK: %[[WP:.*]] = call_opaque "get_write_ptr"(%[[CB]]) : (ui32) -> i32
  // CHECK: call_opaque "noc_async_read_tile"(%{{.*}}, %[[ACC]], %[[WP]])
  // CHECK: call_opaque "noc_async_read_barrier"() : () -> ()
  // CHECK: call_opaque "cb_push_back"(%[[CB]], %{{.*}})
  ttkernel.cb_reserve_back %cb, %n
  %wp = ttkernel.get_write_ptr %cb
  ttkernel.noc_async_read_tile %id, %acc, %wp
  ttkernel.noc_async_read_barrier
  ttkernel.cb_push_back %cb, %n
  // CHECK: call_opaque "cb_wait_front"
  // CHECK: call_opaque "get_read_ptr"
  // CHECK: call_opaque "noc_async_write_tile"
  // CHECK: call_opaque "noc_async_write_barrier"
  // CHECK: call_opaque "cb_pop_front"
  // CHECK: call_opaque "get_absolute_logical_x"() : () -> !emitc.ptrdiff_t
  // CHECK: call_opaque "get_absolute_logical_y"() : () -> !emitc.ptrdiff_t
  ttkernel.cb_wait_front %cb, %n
  %rp = ttkernel.get_read_ptr %cb
  ttkernel.noc_async_write_tile %id, %acc, %rp
  ttkernel.noc_async_write_barrier
  ttkernel.cb_pop_front %cb, %n
  %x = ttkernel.my_logical_x
  %y = ttkernel.my_logical_y
  return
}

// -----

// L1 access: reinterpret_cast<T *>(addr)[index].
// CHECK-LABEL: emitc.func @l1(
// CHECK-SAME: %[[A:.*]]: i32, %[[I:.*]]: i32)
// CHECK: %[[P:.*]] = call_opaque "reinterpret_cast"(%[[A]]) {template_args = [!emitc.ptr<i16>]} : (i32) -> !emitc.ptr<i16>
// CHECK: %[[E:.*]] = subscript %[[P]][%[[I]]] : (!emitc.ptr<i16>, i32) -> !emitc.lvalue<i16>
// CHECK: %[[V:.*]] = load %[[E]] : <i16>
// CHECK: %[[Q:.*]] = call_opaque "reinterpret_cast"(%[[A]]) {template_args = [!emitc.ptr<i16>]}
// CHECK: %[[F:.*]] = subscript %[[Q]][%[[I]]]
// CHECK: assign %[[V]] : i16 to %[[F]] : <i16>
func.func @l1(%a: i32, %i: i32) {
  %v = ttkernel.l1_load %a[%i] : i16
  ttkernel.l1_store %a[%i], %v : i16
  return
}

// -----

// A watcher assert: the message becomes a comment on the line before.
// CHECK-LABEL: emitc.func @check(
// CHECK-SAME: %[[OK:.*]]: i1)
// CHECK: verbatim "// ttlx: index out of range"
// CHECK-NEXT: call_opaque "ASSERT"(%[[OK]]) : (i1) -> ()
func.func @check(%ok: i1) {
  ttkernel.assert %ok, "index out of range"
  return
}

// -----

// The loop keeper lowers to nothing; the loop stays (the C++ is built with
// -fno-finite-loops).
// CHECK-LABEL: emitc.func @spin(
// CHECK: do {
// CHECK-NOT: sideeffect
// CHECK: } while {
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

// -----

// Compute calls; reduce and pack_tile carry template arguments.
// CHECK-LABEL: emitc.func @compute(
// CHECK: call_opaque "tile_regs_acquire"() : () -> ()
// CHECK: call_opaque "mul_tiles_bcast_scalar"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (ui32, ui32, i32, i32, i32) -> ()
// CHECK: call_opaque "rsqrt_tile"(%{{.*}}) : (i32) -> ()
// CHECK: call_opaque "reduce_init"(%{{.*}}, %{{.*}}, %{{.*}}) {template_args = [#emitc.opaque<"PoolType::SUM">, #emitc.opaque<"ReduceDim::REDUCE_ROW">]}
// CHECK: call_opaque "reduce_tile"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {template_args = [#emitc.opaque<"PoolType::MAX">, #emitc.opaque<"ReduceDim::REDUCE_SCALAR">]}
// CHECK: call_opaque "pack_tile"(%{{.*}}, %{{.*}}, %{{.*}}) {template_args = [true]} : (i32, ui32, i32) -> ()
func.func @compute(%i: i32) {
  %cb = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  ttkernel.tile_regs_acquire
  ttkernel.mul_tiles_bcast_scalar %cb, %cb, %i, %i, %i
  ttkernel.rsqrt_tile %i
  ttkernel.reduce_init sum row %cb, %cb, %cb
  ttkernel.reduce_tile max scalar %cb, %cb, %i, %i, %i
  ttkernel.pack_tile %i, %cb, %i
  return
}

// -----

// NOC between cores and semaphores (pipes); local semaphore calls take the
// semaphore as a `volatile tt_l1_ptr uint32_t *`.
// CHECK-LABEL: emitc.func @semaphores
func.func @semaphores(%x: i32, %y: i32, %addr: i32) {
  %n = arith.constant 1 : i32
  // CHECK: %[[SEM:.*]] = call_opaque "get_semaphore"() {args = [3 : i32]} : () -> i32
  // CHECK: %[[NOC:.*]] = call_opaque "get_noc_addr"(%{{.*}}, %{{.*}}, %[[SEM]]) : (i32, i32, i32) -> i64
  // CHECK: call_opaque "noc_inline_dw_write"(%[[NOC]], %{{.*}}) : (i64, i32) -> ()
  // CHECK: call_opaque "noc_async_read"(%[[NOC]], %{{.*}}, %{{.*}}) : (i64, i32, i32) -> ()
  // CHECK: call_opaque "noc_semaphore_inc"(%[[NOC]], %{{.*}}) : (i64, i32) -> ()
  // CHECK: %[[P:.*]] = call_opaque "reinterpret_cast"(%[[SEM]]) {template_args = [!emitc.ptr<!emitc.opaque<"volatile tt_l1_ptr uint32_t">>]}
  // CHECK: call_opaque "noc_semaphore_wait"(%[[P]], %{{.*}})
  // CHECK: call_opaque "noc_semaphore_wait_min"
  // CHECK: call_opaque "noc_semaphore_set"
  %sem = ttkernel.get_semaphore 3
  %noc = ttkernel.get_noc_addr %x, %y, %sem
  ttkernel.noc_inline_dw_write %noc, %addr
  ttkernel.noc_async_read %noc, %addr, %n
  ttkernel.noc_semaphore_inc %noc, %n
  ttkernel.noc_semaphore_wait %sem, %n
  ttkernel.noc_semaphore_wait_min %sem, %n
  ttkernel.noc_semaphore_set %sem, %n
  return
}

// -----

// Matmul and the SFPU where, with its data format as a template argument.
// CHECK-LABEL: emitc.func @matmul_where
func.func @matmul_where(%i: i32) {
  %a = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  %b = ttkernel.get_compile_time_arg_val 1 : !ttkernel.cb
  // CHECK: call_opaque "matmul_init"(%{{.*}}, %{{.*}}) : (ui32, ui32) -> ()
  // CHECK: call_opaque "matmul_tiles"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (ui32, ui32, i32, i32, i32) -> ()
  // CHECK: call_opaque "where_tile_init"() : () -> ()
  // CHECK: call_opaque "where_tile"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {template_args = [#emitc.opaque<"DataFormat::Float16_b">]}
  // CHECK: call_opaque "where_tile"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {template_args = [#emitc.opaque<"DataFormat::Float32">]}
  ttkernel.matmul_init %a, %b
  ttkernel.matmul_tiles %a, %b, %i, %i, %i
  ttkernel.where_tile_init
  ttkernel.where_tile %i, %i, %i, %i
  ttkernel.where_tile %i, %i, %i, %i {fp32}
  return
}

// -----

// index is ptrdiff_t: range(n - 1) with n = 0 counts from 0 to -1 and runs
// no iteration (size_t would wrap to 2^64 - 1). Loops carry the user's
// location in a comment, which the runtime's watchdog quotes.
// CHECK-LABEL: emitc.func @signed_index
// CHECK-SAME: (%[[N:.*]]: !emitc.ptrdiff_t)
// CHECK: %[[M:.*]] = sub %[[N]], %{{.*}} : (!emitc.ptrdiff_t, !emitc.ptrdiff_t) -> !emitc.ptrdiff_t
// CHECK: verbatim "// at kernel.py:7:5"
// CHECK-NEXT: for %{{.*}} = %{{.*}} to %[[M]] step %{{.*}} : !emitc.ptrdiff_t
func.func @signed_index(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.subi %n, %c1 : index
  scf.for %i = %c0 to %m step %c1 {
    ttkernel.noc_async_read_barrier
  } loc("kernel.py":7:5)
  return
}

// -----

// DPRINT takes the format as a C++ string literal (quotes, backslashes and
// newlines escaped), then the arguments.
// CHECK-LABEL: emitc.func @print(
// CHECK-SAME: %[[N:.*]]: i32)
// CHECK: call_opaque "DPRINT"(%[[N]]) {args = [#emitc.opaque<"\22say \\\22{}\\\22 \\\\ ok\\n\22">, 0 : index]} : (i32) -> ()
func.func @print(%n: i32) {
  ttkernel.dprint "say \22{}\22 \5C ok\0A", %n : i32
  return
}

// -----

// A circular buffer's state: print_cb_details(cb); a tile printed by the
// unpacker or the packer: tt-metal's UNPACK((...)) / PACK((...)).
// CHECK-LABEL: emitc.func @print_cb(
// CHECK-SAME: %[[CB:[^:]*]]: ui32, %[[T:.*]]: i32)
// CHECK: call_opaque "print_cb_details"(%[[CB]])
// CHECK: verbatim "UNPACK((tt::compute::common::print_full_tile({}, {}, true)));" args %[[CB]], %[[T]] : ui32, i32
// CHECK: verbatim "PACK((tt::compute::common::print_full_tile({}, {}, true)));" args %[[CB]], %[[T]] : ui32, i32
// CHECK: verbatim "UNPACK((tt::compute::common::print_full_tile({}, {}, false)));" args %[[CB]], %[[T]] : ui32, i32
func.func @print_cb(%cb: !ttkernel.cb, %t: i32) {
  ttkernel.print_cb_details %cb
  ttkernel.print_full_tile unpack %cb, %t
  ttkernel.print_full_tile pack %cb, %t
  ttkernel.print_full_tile unpack %cb, %t untilize = false
  return
}

// -----

// An f32 kept as its bit pattern goes to DPRINT as a float again.
// CHECK-LABEL: emitc.func @print_bits(
// CHECK-SAME: %[[B:.*]]: i32, %[[F:.*]]: f32)
// CHECK: %[[C:.*]] = call_opaque "__builtin_bit_cast"(%[[B]]) {args = [#emitc.opaque<"float">, 0 : index]} : (i32) -> f32
// CHECK: call_opaque "DPRINT"(%[[C]], %[[F]]) {args = [#emitc.opaque<"\22{} {}\\n\22">, 0 : index, 1 : index]} : (f32, f32) -> ()
func.func @print_bits(%b: i32, %f: f32) {
  ttkernel.dprint "{} {}\0A", %b, %f : i32, f32 {f32_bits = array<i1: true, false>}
  return
}

// -----

// A device profiler zone is a C++ block opened by DeviceZoneScopedN; its
// braces are marked for the kernel emitter.
// CHECK-LABEL: emitc.func @zone
// CHECK: verbatim "{ DeviceZoneScopedN(\22load\22);" {ttkernel.device_zone}
// CHECK: call_opaque "noc_async_read_barrier"
// CHECK: verbatim "}" {ttkernel.device_zone}
func.func @zone() {
  ttkernel.device_zone_begin "load"
  ttkernel.noc_async_read_barrier
  ttkernel.device_zone_end "load"
  return
}

// -----

// A value made inside a zone and used after it is declared before the
// zone's block, assigned in it and read after it.
// CHECK-LABEL: emitc.func @zone_result
// CHECK: %[[VAR:.*]] = "emitc.variable"() <{value = #emitc.opaque<"">}> : () -> !emitc.lvalue<i32>
// CHECK: verbatim "{ DeviceZoneScopedN(\22load\22);"
// CHECK: %[[WP:.*]] = call_opaque "get_write_ptr"
// CHECK: assign %[[WP]] : i32 to %[[VAR]]
// CHECK: verbatim "}"
// CHECK: %[[AFTER:.*]] = load %[[VAR]]
// CHECK: call_opaque "noc_async_read"(%{{.*}}, %[[AFTER]], %{{.*}})
func.func @zone_result(%cb: !ttkernel.cb, %noc: i64, %n: i32) {
  ttkernel.device_zone_begin "load"
  %wp = ttkernel.get_write_ptr %cb
  ttkernel.device_zone_end "load"
  ttkernel.noc_async_read %noc, %wp, %n
  return
}

// -----

// A compute core's f32 and its bit pattern (abs() of a float, where a bf16
// meets an f32): __builtin_bit_cast, both ways.
// CHECK-LABEL: emitc.func @bitcast
// CHECK: %[[BITS:.*]] = call_opaque "__builtin_bit_cast"(%{{.*}}) {args = [#emitc.opaque<"int32_t">, 0 : index]} : (f32) -> i32
// CHECK: call_opaque "__builtin_bit_cast"(%[[BITS]]) {args = [#emitc.opaque<"float">, 0 : index]} : (i32) -> f32
func.func @bitcast(%x: f32) -> f32 attributes {ttl.thread = #ttl.thread<compute>} {
  %bits = arith.bitcast %x : f32 to i32
  %back = arith.bitcast %bits : i32 to f32
  return %back : f32
}

// -----

// Tilize and untilize calls; pack_untilize's block and row widths are
// template arguments.
// CHECK-LABEL: emitc.func @layouts(
// CHECK: call_opaque "tilize_init"(%{{.*}}, %{{.*}}, %{{.*}}) : (ui32, i32, ui32) -> ()
// CHECK: call_opaque "tilize_block"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (ui32, i32, ui32, i32, i32) -> ()
// CHECK: call_opaque "tilize_uninit"(%{{.*}}, %{{.*}}) : (ui32, ui32) -> ()
// CHECK: call_opaque "pack_untilize_init"(%{{.*}}, %{{.*}}) {template_args = [2 : ui32, 4 : ui32]} : (ui32, ui32) -> ()
// CHECK: call_opaque "pack_untilize_block"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) {template_args = [2 : ui32, 4 : ui32]} : (ui32, i32, ui32, i32) -> ()
// CHECK: call_opaque "pack_untilize_uninit"(%{{.*}}) : (ui32) -> ()
func.func @layouts(%i: i32) {
  %cb = ttkernel.get_compile_time_arg_val 0 : !ttkernel.cb
  ttkernel.tilize_init %cb, %i, %cb
  ttkernel.tilize_block %cb, %i, %cb, %i, %i
  ttkernel.tilize_uninit %cb, %cb
  ttkernel.pack_untilize_init<2, 4> %cb, %cb
  ttkernel.pack_untilize_block<2, 4> %cb, %i, %cb, %i
  ttkernel.pack_untilize_uninit %cb
  return
}
