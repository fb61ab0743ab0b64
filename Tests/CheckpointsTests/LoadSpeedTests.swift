import Foundation
import XCTest
import Checkpoints

/// Opt-in timing of a large checkpoint: set MIQA_CKPT_BENCH to a file path
/// (e.g. a 100 MB fp32 torch.save file) and run in release mode.
final class LoadSpeedTests: XCTestCase {
    func testLoadSpeed() throws {
        guard let path = ProcessInfo.processInfo.environment["MIQA_CKPT_BENCH"] else {
            throw XCTSkip("set MIQA_CKPT_BENCH=/path/to/big.pt to time loading")
        }
        let url = URL(fileURLWithPath: path)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        for _ in 0..<3 {
            let start = Date()
            let dict = try CheckpointReader.read(url)
            let seconds = Date().timeIntervalSince(start)
            print(String(format: "loaded %@ (%.1f MB, %d tensors) in %.3f s", url.lastPathComponent, Double(size) / 1e6, dict.count, seconds))
        }
    }
}
