import Foundation
import XCTest
@testable import Checkpoints

/// Nesting depth, memo size and rank limits of the pickle machine, and proof
/// that nothing walks or frees a value recursively (on a 256 KiB stack, where
/// recursion over a few thousand levels would crash the test process).
final class PickleLimitTests: XCTestCase {
    private static let url = URL(fileURLWithPath: "/tmp/limits.pkl")

    /// PROTO 2, `depth` nested empty lists (MARK ... LIST), then `tail`, then STOP.
    private static func nestedLists(_ depth: Int, tail: [UInt8] = []) -> [UInt8] {
        [0x80, 0x02] + [UInt8](repeating: 0x28, count: depth) + [UInt8](repeating: 0x6c, count: depth) + tail + [0x2e]
    }

    /// Outcome of unpickling `bytes`: nil when accepted, else the error message.
    private static func outcome(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { raw in
            do {
                _ = try PickleMachine.unpickle(raw, url: Self.url) { _ in () }
                return nil
            } catch {
                return "\(error)"
            }
        }
    }

    /// Runs `body` on a thread with a 256 KiB stack and returns its result.
    private func onSmallStack(_ body: @escaping @Sendable () -> String?) -> String? {
        let box = ResultBox(), done = DispatchSemaphore(value: 0)
        let thread = Thread { box.value = body(); done.signal() }
        thread.stackSize = 256 << 10
        thread.start()
        done.wait()
        return box.value
    }

    func testDepthAtTheLimitIsAcceptedOnASmallStack() {
        let bytes = Self.nestedLists(PickleLimits.maximumDepth)
        XCTAssertNil(onSmallStack { Self.outcome(bytes) })
    }

    func testOneLevelDeeperIsRefusedWithAClearMessage() {
        let message = Self.outcome(Self.nestedLists(PickleLimits.maximumDepth + 1))
        XCTAssertEqual(message, "/tmp/limits.pkl: refused: pickle values are nested more than 1000 levels deep (torch.save never writes that)")
    }

    func testAMillionLevelsAreRefusedWithoutRecursion() {
        let message = onSmallStack { Self.outcome(Self.nestedLists(1_000_000)) }
        XCTAssertEqual(message?.contains("nested more than 1000 levels"), true, message ?? "accepted")
    }

    /// A parse error with a deeply nested value still on the stack: the
    /// machine's leftovers are dismantled iteratively too.
    func testDeepValueLeftOnTheStackByAnErrorIsFreedWithoutRecursion() {
        // Nested lists, then EXT1 (unsupported) before STOP.
        let bytes = [0x80, 0x02] + [UInt8](repeating: 0x28, count: 500_000) + [UInt8](repeating: 0x6c, count: 500_000) + [0x82, 0x01, 0x2e]
        let message = onSmallStack { Self.outcome(bytes) }
        XCTAssertEqual(message?.contains("unsupported pickle opcode 0x82"), true, message ?? "accepted")
    }

    func testDeepChainBuiltByMutationAfterNestingIsMeasured() {
        // Memoize 2000 empty lists, then append list k into list k-1 from the
        // innermost outwards... in the order that defeats per-node depth
        // bookkeeping: outer appends happen first.
        let n = 2000
        var bytes: [UInt8] = [0x80, 0x02, 0x28]  // PROTO 2, MARK (the lists go into one tuple)
        for i in 0..<n { bytes += [0x5d, 0x72] + le32(i) }  // EMPTY_LIST, LONG_BINPUT i
        bytes += [0x74, 0x30]  // TUPLE, POP: the lists now live in the memo only
        for i in 0..<(n - 1) { bytes += [0x6a] + le32(i) + [0x6a] + le32(i + 1) + [0x61, 0x30] }  // list i gets list i+1
        bytes += [0x6a] + le32(0) + [0x2e]  // return list 0: a chain n deep
        let chain = bytes
        let message = onSmallStack { Self.outcome(chain) }
        XCTAssertEqual(message?.contains("nested more than 1000 levels"), true, message ?? "accepted")
    }

    func testSelfContainingListIsAcceptedAndFreed() {
        // EMPTY_LIST, BINPUT 0, BINGET 0, APPEND, STOP: l = []; l.append(l)
        XCTAssertNil(Self.outcome([0x80, 0x02, 0x5d, 0x71, 0x00, 0x68, 0x00, 0x61, 0x2e]))
    }

    func testSharedSubtreesAreMeasuredOnce() {
        // t0 = (); t(k+1) = (tk, tk): 2^60 paths through 61 nodes.
        var bytes: [UInt8] = [0x80, 0x02, 0x29, 0x71, 0x00]
        for k in 0..<60 { bytes += [0x68, UInt8(k), 0x68, UInt8(k), 0x86, 0x71, UInt8(k + 1)] }
        bytes += [0x2e]
        let start = Date()
        XCTAssertNil(Self.outcome(bytes))
        XCTAssertLessThan(Date().timeIntervalSince(start), 1)
    }

    func testMemoSizeIsBounded() {
        // NONE, then MEMOIZE one entry more than allowed.
        let bytes = [0x80, 0x04, 0x4e] + [UInt8](repeating: 0x94, count: PickleLimits.maximumMemoEntries + 1) + [0x2e]
        let message = Self.outcome(bytes)
        XCTAssertEqual(message, "/tmp/limits.pkl: refused: pickle stores more than \(PickleLimits.maximumMemoEntries) memo entries")
    }

    func testTensorRankIsBounded() {
        // _rebuild_tensor_v2(storage, 0, (1,)*65, (1,)*65) with a storage from the persistent id hook.
        let ones = [0x28] + [UInt8](repeating: 0x88, count: 65) + [0x74]  // MARK, True x65, TUPLE (True counts as 1)
        let bytes: [UInt8] = [0x80, 0x02] + Array("ctorch._utils\n_rebuild_tensor_v2\n".utf8) + [0x28, 0x4e, 0x51, 0x4b, 0x00] + ones + ones + [0x74, 0x52, 0x2e]
        let message = bytes.withUnsafeBytes { raw -> String? in
            do {
                _ = try PickleMachine.unpickle(raw, url: Self.url, persistentLoad: { _ in .storage(StorageRef(key: "0", type: .float32, elementCount: 1)) }) { _ in () }
                return nil
            } catch { return "\(error)" }
        }
        XCTAssertEqual(message?.contains("tensor with 65 dimensions (at most 64 are supported)"), true, message ?? "accepted")
    }

    func testCallsOfUninterpretedGlobalsAreReported() throws {
        // argparse.Namespace() and collections.OrderedDict() (interpreted) in a tuple.
        let bytes: [UInt8] = [0x80, 0x02] + Array("cargparse\nNamespace\n".utf8) + [0x29, 0x52]
            + Array("ccollections\nOrderedDict\n".utf8) + [0x29, 0x52, 0x86, 0x2e]
        let run = try bytes.withUnsafeBytes { try PickleMachine.unpickle($0, url: Self.url) { _ in () } }
        XCTAssertEqual(run.ignoredGlobals, ["argparse.Namespace"])
    }

    private func le32(_ value: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(value).littleEndian, Array.init) }
}

/// Carries a result out of the small-stack thread (written before the
/// semaphore is signalled, read after it is waited on).
private final class ResultBox: @unchecked Sendable {
    var value: String?
}
