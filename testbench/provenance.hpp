// Where every byte the client took out of Ping came from in the stream the source sent.
//
// The client sees the accepted stream: the bytes the source sent, in order, less the ones that were
// dropped. Everything it takes out of Ping is fed here in the order it left: the bytes each command
// took (Shift, Reset, Consume with the bytes before its packet), and at the end what is still there.
// Each byte is located in the sent stream, which is exact because drops have a rule:
//   - The device drops a stream byte only while FILL == LIMIT (SPEC.md section 7). Ping then holds
//     the client's bytes [T, T + LIMIT), T being the bytes its commands took so far, so a gap in the
//     accepted stream can only lie at T + LIMIT for one of the values T took. Between two such
//     places the bytes the client takes are the sent stream without a break.
//   - A host-mode producer that drops a chunk says so (source_dropped): those bytes are not expected.
// Where a gap is allowed its length is unknown: the bytes after it are placed at the nearest offset
// where all of them follow in the sent stream, which is never beyond the true one, and moved on if a
// later byte disagrees. A byte that cannot be placed is a defect of the device, the driver or the
// testbench: never sent, sent earlier (stale or repeated data), or found later where no drop was
// possible (bytes vanished).
//
// So a delivered frame that is not one sent frame is told apart: located, it is a framing false
// accept (a candidate whose CRC matched by chance: a splice across dropped bytes, a sync pair inside
// a header, a corrupted length); not located, a defect.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace ppb::tb {

class provenance {
public:
    struct run {
        std::size_t at = 0;  // first byte, counted in the frame it belongs to
        std::size_t length = 0;
        std::uint64_t stream = 0;  // offset in the sent stream of its first byte
    };

    // limit: LIMIT when the device drops stream bytes at Ping full (DROP_WHEN_FULL), 0 when it never
    // drops. history: sent bytes kept behind the current place, to say where stale bytes came from.
    // max_unlocated: sent bytes held ahead of what the client took; beyond it locating stops
    // (available() false, defect() says so) rather than hold the whole stream.
    explicit provenance(std::uint32_t limit, std::size_t history = std::size_t{1} << 20,
                        std::size_t max_unlocated = std::size_t{256} << 20);

    // Source side: bytes in stream order, before the device can take them.
    void sent(std::span<const std::uint8_t> bytes);
    // The last `n` bytes sent never reached the device (a host-mode producer dropped them).
    void source_dropped(std::uint64_t n);

    // Client side, in the order the bytes left Ping: bytes taken out (by a Shift or a Reset, which
    // ends the command; or skipped by a Consume's StartOffset, whose packet follows), and a
    // Consume's packet, which ends the command. packet() returns true when every byte so far is
    // located; runs() then tells where the packet's bytes came from.
    void taken(std::span<const std::uint8_t> bytes, bool ends_command);
    bool packet(std::span<const std::uint8_t> bytes);
    const std::vector<run>& runs() const { return runs_; }
    // End of run: what is still in Ping. The sent bytes the client never reached must have been
    // droppable (Ping full at the end).
    void finish(std::span<const std::uint8_t> left);

    // False once a defect was found (defect() says what) or locating stopped.
    bool available() const { return state_ == state::locating; }
    bool stopped() const { return state_ == state::stopped; }
    const std::string& defect() const { return defect_; }
    // Sent bytes between located runs (dropped at Ping full), and sent bytes the source dropped.
    std::uint64_t gap_bytes() const { return gaps_; }
    std::uint64_t source_dropped_bytes() const { return source_dropped_; }

private:
    enum class state : std::uint8_t { locating, defect, stopped };
    struct placed {                     // a located run of observed bytes
        std::uint64_t obs, at, length;  // observed index, accepted-stream offset, bytes
    };

    void observe(std::span<const std::uint8_t> b);
    void boundary();
    // Places observed bytes that belong to the current run.
    void extend(std::span<const std::uint8_t> b);
    void close_run();
    bool matches(std::uint64_t at, std::span<const std::uint8_t> b) const;
    std::uint64_t search(std::span<const std::uint8_t> pattern, std::uint64_t from) const;
    std::uint64_t search_back(std::span<const std::uint8_t> pattern, std::uint64_t before) const;
    void fail(std::span<const std::uint8_t> b, std::uint64_t at, bool movable);
    std::uint64_t stream_offset(std::uint64_t accepted) const;
    // The accepted offset where the current run goes on: its next byte's place.
    std::uint64_t run_end() const { return run_at_ + (observed_ - run_obs_); }
    // The lowest accepted offset a byte still to be taken may be compared with (history_ more is
    // kept behind it, for defects); trim() drops what lies further back.
    std::uint64_t floor() const;
    void trim();

    std::uint32_t limit_;
    std::size_t history_, max_unlocated_;
    state state_ = state::locating;
    std::string defect_;

    // The accepted stream as far as the source knows it: sent bytes less the ones it dropped,
    // kept from offset window_start_ (accepted-stream offsets; stream_offset() maps them back).
    // A growable byte array whose append is one memcpy (every stream chunk lands here, so a
    // vector's range insert was a measurable part of a run).
    class byte_buffer {
    public:
        void append(std::span<const std::uint8_t> b);
        void truncate(std::size_t n) { size_ = n; }
        void drop_front(std::size_t n);
        void release() {
            data_.reset();
            size_ = capacity_ = 0;
        }
        const std::uint8_t* data() const { return data_.get(); }
        std::size_t size() const { return size_; }
        std::uint8_t operator[](std::size_t i) const { return data_[i]; }

    private:
        std::unique_ptr<std::uint8_t[]> data_;
        std::size_t size_ = 0, capacity_ = 0;
    };
    byte_buffer window_;
    std::uint64_t window_start_ = 0, accepted_end_ = 0;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> removed_;  // (accepted offset, bytes removed there)
    std::uint64_t source_dropped_ = 0;

    std::uint64_t observed_ = 0;        // bytes the client took so far
    std::uint64_t taken_ = 0;           // ... by completed commands (T)
    std::deque<std::uint64_t> gap_at_;  // observed indices where a gap may lie (T + LIMIT)
    // The current run: observed bytes [run_obs_, observed_) at accepted offset run_at_. A run that
    // starts where a gap may lie is movable: its place is the nearest that fits all its bytes.
    std::uint64_t run_obs_ = 0, run_at_ = 0;
    bool movable_ = false;
    std::vector<std::uint8_t> run_bytes_;  // a movable run's bytes
    std::uint64_t run_floor_ = 0;          // a movable run lies at or after this offset
    std::uint64_t gaps_ = 0;
    std::deque<placed> placed_;  // closed runs that a frame being located may overlap

    std::vector<run> runs_;
};

}  // namespace ppb::tb
