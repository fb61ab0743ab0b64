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
    /// Id of the undistorted reference (may contain underscores).
    public var referenceID: String
    /// One of the 10 distortion types.
    public var distortion: DistortionType
    /// Foreground and background severity levels.
    public var region: RegionConfiguration

    /// A name from its parts.
    public init(referenceID: String, distortion: DistortionType, region: RegionConfiguration) {
        self.referenceID = referenceID
        self.distortion = distortion
        self.region = region
    }

    /// Parses a file name or path (directories and one extension are dropped). Nil when the name
    /// does not follow the layouts, including a level outside 1...5 or a region family that
    /// contradicts its levels (`fg_stronger_fg1_bg3`).
    public init?(fileName: String) {
        // Bytes, not Characters: evaluations parse 250,000 names, and every marker is ASCII.
        let bytes = Array(fileName.utf8)
        var start = 0, end = bytes.count
        if let slash = bytes.lastIndex(of: UInt8(ascii: "/")) { start = slash + 1 }
        if let dot = bytes[start...].lastIndex(of: UInt8(ascii: ".")), dot > start { end = dot }
        let stem = bytes[start..<end]

        guard let (region, suffixLength) = MIQDImageName.regionSuffix(stem) else { return nil }
        let rest = stem.dropLast(suffixLength)
        // Longest name first, so a name that ended another would win (none does today).
        guard let (distortion, suffix) = MIQDImageName.distortionSuffixes.first(where: {
            rest.count > $0.1.count && rest.suffix($0.1.count).elementsEqual($0.1)  // id must stay non-empty
        }) else { return nil }
        referenceID = String(decoding: rest.dropLast(suffix.count), as: UTF8.self)
        self.distortion = distortion
        self.region = region
    }

    /// `(type, "_<name>" in UTF-8)`, longest name first.
    private static let distortionSuffixes: [(DistortionType, [UInt8])] =
        DistortionType.allCases.map { ($0, Array(("_" + $0.rawValue).utf8)) }.sorted { $0.1.count > $1.1.count }

    /// The region configuration at the end of `stem` and the length of its suffix in bytes
    /// (`_<L>` or `_<fg|bg>_stronger_fg<i>_bg<j>`).
    private static func regionSuffix(_ stem: ArraySlice<UInt8>) -> (RegionConfiguration, Int)? {
        let n = stem.endIndex
        func digit(_ i: Int) -> Int? {
            guard i >= stem.startIndex, i < n, stem[i] >= UInt8(ascii: "1"), stem[i] <= UInt8(ascii: "5") else { return nil }
            return Int(stem[i] - UInt8(ascii: "0"))
        }
        func text(_ i: Int, _ s: StaticString) -> Bool {
            guard i >= stem.startIndex, i + s.utf8CodeUnitCount <= n else { return false }
            return (0..<s.utf8CodeUnitCount).allSatisfy { stem[i + $0] == s.utf8Start[$0] }
        }
        // "_fg_stronger_fg3_bg1" is 20 bytes: 3 + 9 + 4 + 4.
        if stem.count >= 20, let fg = digit(n - 5), let bg = digit(n - 1), text(n - 8, "_fg"), text(n - 4, "_bg"),
           text(n - 17, "_stronger") {
            let family: RegionConfiguration.Kind
            if text(n - 20, "_fg") { family = .foregroundStronger } else if text(n - 20, "_bg") { family = .backgroundStronger } else { return nil }
            let region = RegionConfiguration(foreground: fg, background: bg)
            return region.kind == family ? (region, 20) : nil
        }
        if stem.count >= 2, let level = digit(n - 1), stem[n - 2] == UInt8(ascii: "_") {
            return (RegionConfiguration(foreground: level, background: level), 2)
        }
        return nil
    }

    /// The canonical file name (`RegionConfiguration.fileName`).
    public var fileName: String { region.fileName(referenceID: referenceID, type: distortion) }
}
