/// One of MIQD's 25 (foreground level, background level) combinations per distortion type.
public struct RegionConfiguration: Sendable, Equatable, Hashable {
    /// Which family the combination belongs to.
    public enum Kind: String, Sendable, Hashable {
        /// Both regions at the same level: the whole image distorted uniformly.
        case uniform
        /// The foreground gets the stronger level.
        case foregroundStronger = "fg_stronger"
        /// The background gets the stronger level.
        case backgroundStronger = "bg_stronger"
    }

    /// Severity level (1...5) of the foreground.
    public let foregroundLevel: Int
    /// Severity level (1...5) of the background.
    public let backgroundLevel: Int

    /// A configuration; levels must be in 1...5.
    public init(foreground: Int, background: Int) {
        precondition((1...5).contains(foreground) && (1...5).contains(background), "levels are 1...5")
        foregroundLevel = foreground
        backgroundLevel = background
    }

    /// The family, from comparing the two levels.
    public var kind: Kind {
        foregroundLevel == backgroundLevel ? .uniform
            : (foregroundLevel > backgroundLevel ? .foregroundStronger : .backgroundStronger)
    }

    /// MIQD file-name suffix: `_<L>`, `_fg_stronger_fg<i>_bg<j>` or `_bg_stronger_fg<i>_bg<j>`.
    public var suffix: String {
        kind == .uniform ? "_\(foregroundLevel)"
            : "_\(kind.rawValue)_fg\(foregroundLevel)_bg\(backgroundLevel)"
    }

    /// The MIQD file name `<id>_<dist>_<suffix>.png` of this configuration.
    public func fileName(referenceID: String, type: DistortionType) -> String {
        "\(referenceID)_\(type.rawValue)\(suffix).png"
    }

    /// The 25 configurations in MIQD's order: 5 uniform (1,1)...(5,5); 10 foreground
    /// stronger (2,1) (3,1) (4,1) (5,1) (3,2) (4,2) (5,2) (4,3) (5,3) (5,4); 10 background
    /// stronger, the mirror images (1,2) (1,3) (1,4) (1,5) (2,3) (2,4) (2,5) (3,4) (3,5) (4,5).
    public static let all: [RegionConfiguration] = {
        let uniform = (1...5).map { RegionConfiguration(foreground: $0, background: $0) }
        var pairs: [(Int, Int)] = []
        for low in 1...4 { for high in (low + 1)...5 { pairs.append((high, low)) } }
        let fg = pairs.map { RegionConfiguration(foreground: $0.0, background: $0.1) }
        let bg = pairs.map { RegionConfiguration(foreground: $0.1, background: $0.0) }
        return uniform + fg + bg
    }()

    /// The first `count` (1...25) configurations of `priority`, returned in MIQD order (`all`).
    ///
    /// For databases where compute is short: more references with fewer configurations each
    /// cover more content than a few references with all 25 (docs/labels.md, "Fewer
    /// configurations"). The priority keeps the 5 uniform levels first (every severity of the
    /// plain distortion), then alternates foreground-stronger and background-stronger pairs,
    /// widest level gap first, so a small subset still contains both region families.
    public static func subset(_ count: Int) -> [RegionConfiguration] {
        let chosen = Set(priority.prefix(max(0, min(count, all.count))))
        return all.filter(chosen.contains)
    }

    /// `all` ordered by how much each configuration adds to a subset (see `subset`).
    public static let priority: [RegionConfiguration] = {
        let uniform = all.filter { $0.kind == .uniform }
        let byGap: (RegionConfiguration, RegionConfiguration) -> Bool = { a, b in
            let ga = abs(a.foregroundLevel - a.backgroundLevel), gb = abs(b.foregroundLevel - b.backgroundLevel)
            return ga != gb ? ga > gb : max(a.foregroundLevel, a.backgroundLevel) > max(b.foregroundLevel, b.backgroundLevel)
        }
        let fg = all.filter { $0.kind == .foregroundStronger }.sorted(by: byGap)
        let bg = all.filter { $0.kind == .backgroundStronger }.sorted(by: byGap)
        return uniform + zip(fg, bg).flatMap { [$0, $1] }
    }()
}
