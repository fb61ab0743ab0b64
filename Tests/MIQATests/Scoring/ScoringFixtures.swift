import Foundation
import Imaging
import Tensor
@testable import MIQA

/// Shared material for scoring tests: a real (tiny) predictor and a folder of good and bad files.
enum ScoringFixtures {
    /// The tiny ResNet-18 from the parity fixtures (PyTorch random weights), as a predictor.
    static func predictor() throws -> Predictor {
        let dir = ArchitectureParityTests.fixtures.appendingPathComponent("resnet18")
        let config = try ArchitectureConfig.load(dir.appendingPathComponent("config.json"))
        let model = try ModelRegistry.build(config, weights: WeightLoading.tensors(from: dir.appendingPathComponent("model.pth.tar")))
        return Predictor(model: model, card: ModelCard(name: "tiny", model: "resnet18", task: "cls", label: "composite",
                                                       config: config, source: "fixture"))
    }

    /// A photo-like test image: smooth gradients plus texture, so different crops score differently.
    static func image(width: Int, height: Int, seed: Int) -> RGBImage {
        var px = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let i = (y * width + x) * 3
                px[i] = UInt8((x * 255 / max(1, width - 1) + seed * 40) % 256)
                px[i + 1] = UInt8((y * 255 / max(1, height - 1) + (x * y + seed) % 31) % 256)
                px[i + 2] = UInt8(((x ^ y) * 3 + seed * 17) % 256)
            }
        }
        return RGBImage(width: width, height: height, pixels: px)
    }

    /// A fresh temporary folder.
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("miqa-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A PNG signature and header announcing `width` x `height`, with a valid CRC and nothing
    /// else: a decompression bomb must be refused from this alone.
    static func pngHeader(width: UInt32, height: UInt32) -> Data {
        var d = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13])
        var chunk = Data("IHDR".utf8)
        for v in [width, height] { chunk.append(contentsOf: [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]) }
        chunk.append(contentsOf: [8, 2, 0, 0, 0])
        d.append(chunk)
        let c = crc32(chunk)
        d.append(contentsOf: [UInt8(c >> 24), UInt8(c >> 16 & 255), UInt8(c >> 8 & 255), UInt8(c & 255)])
        d.append(contentsOf: [0, 0, 0, 0] + Array("IEND".utf8) + [0xAE, 0x42, 0x60, 0x82])
        return d
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
