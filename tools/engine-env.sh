# The native engine's process environment, read by ./splitfed and the bench scripts before they
# start a JVM (sourced, not run). Why: docs/design.md, "DJL facts worth knowing".
#
# glibc's allocator. Left to its defaults it hands freed tensor memory back to the system (a
# thread's 64 MB heap unmapped as soon as it empties) and the next batch faults every page of it
# in again: measured on ResNet-18, some epochs took 1.3 M page faults and three times as long.
# These settings keep freed memory for reuse: tensors up to 32 MB come from the heap, not their
# own mapping, and no heap is trimmed or unmapped while the process lives. Resident memory then
# stays at its peak instead of shrinking between rounds. A GLIBC_TUNABLES already set is kept.
: "${GLIBC_TUNABLES:=glibc.malloc.mmap_threshold=33554432:glibc.malloc.top_pad=67108864:glibc.malloc.trim_threshold=4294967296}"
export GLIBC_TUNABLES
