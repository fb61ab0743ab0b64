import XCTest
@testable import MIQA

final class MIQDImageNameTests: XCTestCase {
    /// Every distortion name x all 25 region suffixes, for ids with and without underscores
    /// (ImageNet and zero-padded COCO ids, and ids that themselves end like a distortion name).
    func testEveryDistortionAndRegionSuffixRoundTrips() throws {
        let ids = ["ILSVRC2012_val_00037809", "000000532481", "a", "my_fog_photo", "x_snow", "ref_jpeg_compression_2"]
        XCTAssertEqual(RegionConfiguration.all.count, 25)
        for id in ids {
            for type in DistortionType.allCases {
                for region in RegionConfiguration.all {
                    let file = region.fileName(referenceID: id, type: type)
                    let parsed = try XCTUnwrap(MIQDImageName(fileName: file), file)
                    XCTAssertEqual(parsed.referenceID, id, file)
                    XCTAssertEqual(parsed.distortion, type, file)
                    XCTAssertEqual(parsed.region, region, file)
                    XCTAssertEqual(parsed.fileName, file)
                    // Paths as written in label files parse the same.
                    XCTAssertEqual(MIQDImageName(fileName: "\(id)/\(file)"), parsed)
                }
            }
        }
    }

    func testExamplesFromTheDatabaseLayout() throws {
        let a = try XCTUnwrap(MIQDImageName(fileName: "ILSVRC2012_val_00037809_jpeg_compression_fg_stronger_fg5_bg2.png"))
        XCTAssertEqual(a.referenceID, "ILSVRC2012_val_00037809")
        XCTAssertEqual(a.distortion, .jpeg_compression)
        XCTAssertEqual(a.region, RegionConfiguration(foreground: 5, background: 2))
        XCTAssertEqual(a.region.kind, .foregroundStronger)

        let b = try XCTUnwrap(MIQDImageName(fileName: "images/000000577539/000000577539_gaussian_noise_bg_stronger_fg1_bg4.png"))
        XCTAssertEqual(b.referenceID, "000000577539")
        XCTAssertEqual(b.distortion, .gaussian_noise)
        XCTAssertEqual(b.region.kind, .backgroundStronger)

        let c = try XCTUnwrap(MIQDImageName(fileName: "000000577539_motion_blur_3.png"))
        XCTAssertEqual(c.distortion, .motion_blur)
        XCTAssertEqual(c.region, RegionConfiguration(foreground: 3, background: 3))
        XCTAssertEqual(c.region.kind, .uniform)
    }

    func testRejectsNamesOutsideTheLayout() {
        for name in [
            "photo.png",                                  // no distortion or level
            "ref_fog.png",                                // no level
            "ref_fog_6.png", "ref_fog_0.png",             // level outside 1...5
            "ref_blur_3.png",                             // unknown distortion
            "fog_3.png",                                  // empty id
            "ref_fog_fg_stronger_fg1_bg3.png",            // family contradicts its levels
            "ref_fog_bg_stronger_fg4_bg2.png",
            "ref_fog_fg_stronger_fg3_bg3.png",
            "ref_fog_mid_stronger_fg3_bg1.png",           // unknown family
            "ref_fog_fg_stronger_fg3.png",                // truncated
            "ref_fog_12.png",
        ] {
            XCTAssertNil(MIQDImageName(fileName: name), name)
        }
    }
}
