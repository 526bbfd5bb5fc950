//! The tick loop allocates nothing: a counting global allocator observes
//! ticks of a running replicate (scheduled events excepted). Only the test's
//! own thread is counted: the test harness allocates on other threads.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use stabsim::epstein::state::SimState;
use stabsim::scenario;

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // `const` initialisation: reading it never allocates.
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn ticks_do_not_allocate() {
    for name in [
        "mesa_app_default",
        "netlogo_rebellion",
        "legitimacy_gradual",
    ] {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/epstein/{name}.toml"));
        let sc = scenario::load(&path, &[]).unwrap();
        let terrain = sc.world.terrain().unwrap();
        let mut state = SimState::new(&sc, &terrain, 0);
        state.step();
        let before = ALLOCATIONS.load(Ordering::SeqCst);
        COUNTING.with(|c| c.set(true));
        for _ in 0..200 {
            state.step();
            std::hint::black_box(state.metrics());
        }
        COUNTING.with(|c| c.set(false));
        let after = ALLOCATIONS.load(Ordering::SeqCst);
        assert_eq!(
            after - before,
            0,
            "{name}: {} allocations in 200 ticks",
            after - before
        );
    }
}
