import Foundation

/// What an MIQD distorted-image file name says: reference id, distortion type and region
/// configuration. The three layouts (MIQA-FACTS section 3):
///
///     <id>_<dist>_<L>.png                          uniform, level L in 1...5
///     <id>_<dist>_fg_stronger_fg<i>_bg<j>.png      foreground stronger, i > j
///     <id>_<dist>_bg_stronger_fg<i>_bg<j>.png      background stronger, i < j
///
/// Reference ids contain underscores (`ILSVRC2012_val_00037809`) and so do some distortion names
/// (`jpeg_compression`), so the name is read from the end: first the region suffix, then the
/// longest known distortion name that ends what is left; the rest is the id.
public struct MIQDImageName: Equatable, Hashable, Sendable {
    public var referenceID: String
    public var distortion: DistortionType
    public var region: RegionConfiguration

    public init(referenceID: String, distortion: DistortionType, region: RegionConfiguration) {
        self.referenceID = referenceID
        self.distortion = distortion
        self.region = region
    }

    /// Parses a file name or path (directories and one extension are dropped). Nil when the name
    /// does not follow the layouts, including a level outside 1...5 or a region family that
    /// contradicts its levels (`fg_stronger_fg1_bg3`).
    public init?(fileName: String) {
        var stem = (fileName as NSString).lastPathComponent
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = String(stem[..<dot]) }
        var parts = stem.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3 else { return nil }

        let region: RegionConfiguration
        if parts.count >= 6, parts[parts.count - 3] == "stronger",
           let family = RegionConfiguration.Kind(rawValue: parts[parts.count - 4] + "_stronger"),
           let fg = MIQDImageName.level(parts[parts.count - 2], prefix: "fg"),
           let bg = MIQDImageName.level(parts[parts.count - 1], prefix: "bg") {
            region = RegionConfiguration(foreground: fg, background: bg)
            guard region.kind == family else { return nil }
            parts.removeLast(4)
        } else if let level = MIQDImageName.level(parts[parts.count - 1], prefix: "") {
            region = RegionConfiguration(foreground: level, background: level)
            parts.removeLast()
        } else {
            return nil
        }

        let rest = parts.joined(separator: "_")
        let match = DistortionType.allCases
            .filter { rest.hasSuffix("_" + $0.rawValue) && rest.count > $0.rawValue.count + 1 }
            .max { $0.rawValue.count < $1.rawValue.count }
        guard let distortion = match else { return nil }
        referenceID = String(rest.dropLast(distortion.rawValue.count + 1))
        self.distortion = distortion
        self.region = region
    }

    /// The canonical file name (`RegionConfiguration.fileName`).
    public var fileName: String { region.fileName(referenceID: referenceID, type: distortion) }

    /// `prefix` followed by a single digit 1...5.
    private static func level(_ token: String, prefix: String) -> Int? {
        guard token.hasPrefix(prefix) else { return nil }
        let digits = token.dropFirst(prefix.count)
        guard digits.count == 1, let v = Int(digits), (1...5).contains(v) else { return nil }
        return v
    }
}
