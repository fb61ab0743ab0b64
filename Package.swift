// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "MIQA",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "miqa", targets: ["miqa"]),
        .library(name: "MIQA", targets: ["MIQA"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        // ONNX files are protobuf messages; the Swift form of the schema is generated once
        // (tools/onnx/generate.sh) and committed, so only the runtime library is built here.
        .package(url: "https://github.com/apple/swift-protobuf", exact: "1.39.0"),
    ],
    targets: [
        // Thin module maps over Debian's C libraries; nothing else lives here.
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL"),
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CTurboJPEG", path: "Sources/CTurboJPEG"),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG"),
        .systemLibrary(name: "CWebP", path: "Sources/CWebP"),
        .systemLibrary(name: "CTIFF", path: "Sources/CTIFF"),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo"),

        .target(
            name: "Tensor",
            dependencies: ["CDNNL", "COpenBLAS"]
            // No -Ounchecked: measured without it (docs/benchmarks.md) the kernels run in oneDNN and the
            // Swift loops did not show a difference beyond the noise of a shared machine.
        ),
        .target(
            name: "Imaging",
            dependencies: ["CTurboJPEG", "CPNG", "CWebP", "CTIFF", "CCairo"]
            // No -Ounchecked: decoders index with sizes taken from untrusted headers, and
            // a missed check must trap, not read foreign memory (docs/benchmarks.md: the
            // bounds checks cost little here).
        ),
        // ONNX's protobuf schema in Swift (generated, committed; tools/onnx/generate.sh).
        .target(
            name: "ONNXFormat",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]
        ),
        // Readers and writers of weight files (PyTorch zip/legacy pickle, safetensors): host data only.
        .target(
            name: "Checkpoints"
        ),
        .target(
            name: "MIQA",
            // ZIPFoundation: wheels fetched from PyPI (deflated entries); checkpoints use their own zip reader.
            // ONNXFormat + SwiftProtobuf: reading .onnx machines (Sources/MIQA/ONNX).
            dependencies: ["Tensor", "Imaging", "Checkpoints", "ONNXFormat", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Resources/DefaultModel")]
        ),
        .target(
            name: "MIQAVideo",
            dependencies: ["MIQA", "Imaging", "Tensor"]
        ),
        .executableTarget(
            name: "miqa",
            dependencies: ["MIQA", "MIQAVideo", "Imaging", "Tensor", "Checkpoints", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging"], exclude: ["Fixtures"]),
        .testTarget(name: "CheckpointsTests", dependencies: ["Checkpoints"], exclude: ["Fixtures"]),
        .testTarget(name: "MIQATests", dependencies: ["MIQA"], exclude: ["Fixtures", "Distortions/Fixtures", "Dataset/Fixtures", "Training/Fixtures", "Evaluation/Fixtures"]),
        .testTarget(name: "MIQAVideoTests", dependencies: ["MIQAVideo"], exclude: ["Fixtures"]),
        // libFuzzer targets (docs/fuzzing.md). Only scripts/fuzz.sh builds them for real, with
        // `-D MIQA_FUZZ -sanitize=fuzzer,address` in .build-fuzz; a plain build compiles a stub
        // main that says so, so `swift build` and `swift test` stay unaffected.
        .target(name: "FuzzSupport", dependencies: ["Checkpoints"]),
        .executableTarget(name: "FuzzImage", dependencies: ["Imaging"]),
        .executableTarget(name: "FuzzTorchZip", dependencies: ["Checkpoints", "FuzzSupport"]),
        .executableTarget(name: "FuzzTorchLegacy", dependencies: ["Checkpoints", "FuzzSupport"]),
        .executableTarget(name: "FuzzPickle", dependencies: ["Checkpoints"]),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["Checkpoints", "FuzzSupport"]),
        .executableTarget(name: "FuzzCSV", dependencies: ["MIQA"]),
        .executableTarget(name: "FuzzDarknet", dependencies: ["MIQA", "Checkpoints"]),
        .executableTarget(name: "FuzzONNX", dependencies: ["MIQA", "Tensor"]),
    ],
    // Swift 6 language mode everywhere. Where threads share what the checker cannot prove safe
    // (parallel loops writing disjoint ranges, a reader handed to one producer thread), the code
    // says why in one place: `concurrentChunks`, `ConcurrentResults` and `Handoff` (Tensor).
    swiftLanguageModes: [.v6]
)
