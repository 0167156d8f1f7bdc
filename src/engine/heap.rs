//! The sifts of a binary min-heap on a 128-bit key, shared by the event
//! calendar and the cancellable timers. Each moves one item along a path
//! with a hole (one copy per level, not a swap) and tells `placed` where
//! every entry it moved now sits: the timers keep each owner's position up
//! to date that way; the calendar passes a no-op, which compiles away.

/// An entry of the heap: ordered by its key, smallest first.
pub(super) trait Keyed: Copy {
    /// The (time, sequence) key.
    fn key(&self) -> u128;
}

/// The earlier of the siblings at `child` and `child + 1` (the left one
/// on a tie). Written as a select, which compiles without a branch: which
/// sibling is earlier is a coin toss that a branch predictor misses half
/// the time. Both indices are known to be in bounds after it.
#[inline(always)]
fn earlier_child<T: Keyed>(heap: &[T], child: usize) -> usize {
    let right = child + 1;
    if heap[right].key() < heap[child].key() {
        right
    } else {
        child
    }
}

/// Moves the entry at `pos` up until its parent is not later; returns
/// where it ends.
#[inline(always)]
pub(super) fn sift_up<T: Keyed>(
    heap: &mut [T],
    mut pos: usize,
    mut placed: impl FnMut(&T, usize),
) -> usize {
    let item = heap[pos];
    let key = item.key();
    while pos > 0 {
        let parent = (pos - 1) / 2;
        if heap[parent].key() <= key {
            break;
        }
        heap[pos] = heap[parent];
        placed(&heap[pos], pos);
        pos = parent;
    }
    heap[pos] = item;
    placed(&item, pos);
    pos
}

/// Moves the entry at `pos` down until no child is earlier.
#[inline(always)]
pub(super) fn sift_down<T: Keyed>(
    heap: &mut [T],
    mut pos: usize,
    mut placed: impl FnMut(&T, usize),
) {
    let end = heap.len();
    let item = heap[pos];
    let key = item.key();
    loop {
        let mut child = 2 * pos + 1;
        if child >= end {
            break;
        }
        if child + 1 < end {
            child = earlier_child(heap, child);
        }
        if key <= heap[child].key() {
            break;
        }
        heap[pos] = heap[child];
        placed(&heap[pos], pos);
        pos = child;
    }
    heap[pos] = item;
    placed(&item, pos);
}

/// Moves the hole at `pos` down to a leaf along the smaller children, then
/// sifts the entry that was at `pos` up from there: fewer comparisons than
/// [`sift_down`] when that entry (the heap's last, moved to the root)
/// usually belongs near the bottom.
#[inline(always)]
pub(super) fn sift_down_to_bottom<T: Keyed>(
    heap: &mut [T],
    mut pos: usize,
    mut placed: impl FnMut(&T, usize),
) {
    let end = heap.len();
    let item = heap[pos];
    let mut child = 2 * pos + 1;
    while child + 1 < end {
        child = earlier_child(heap, child);
        heap[pos] = heap[child];
        placed(&heap[pos], pos);
        pos = child;
        child = 2 * pos + 1;
    }
    if child < end {
        heap[pos] = heap[child];
        placed(&heap[pos], pos);
        pos = child;
    }
    heap[pos] = item;
    sift_up(heap, pos, placed);
}

/// Restores the heap after the entry at `pos` was replaced by one that may
/// belong higher or lower.
#[inline(always)]
pub(super) fn resift<T: Keyed>(heap: &mut [T], pos: usize, mut placed: impl FnMut(&T, usize)) {
    if pos > 0 && heap[pos].key() < heap[(pos - 1) / 2].key() {
        sift_up(heap, pos, placed);
    } else {
        sift_down(heap, pos, &mut placed);
    }
}
