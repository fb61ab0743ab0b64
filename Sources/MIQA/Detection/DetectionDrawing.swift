import Foundation
import Imaging

/// Detections drawn over their image: a box per detection, coloured by class, labelled with the
/// class name and probability (`miqa detect --visualize`).
public enum DetectionDrawing {
    public static func annotate(_ image: RGBImage, _ detections: [Detection]) -> Canvas {
        let canvas = Canvas(image: image)
        let line = max(2, Double(min(image.width, image.height)) / 200)
        let size = max(11, Double(min(image.width, image.height)) / 40)
        // One box per distinct box (a candidate above the threshold for two classes is one box
        // with two labels), lowest probability first so the most certain end on top.
        var groups: [(box: Box, items: [Detection])] = []
        for d in detections {
            if let i = groups.firstIndex(where: { $0.box == d.box }) { groups[i].items.append(d) } else { groups.append((d.box, [d])) }
        }
        for group in groups.sorted(by: { $0.items.map(\.probability).max()! < $1.items.map(\.probability).max()! }) {
            let best = group.items.max { $0.probability < $1.probability }!
            let color = colour(best.classIndex)
            let b = best.pixelBox(width: image.width, height: image.height)
            canvas.strokeRoundedRect(x: b.left, y: b.top, width: b.right - b.left, height: b.bottom - b.top, radius: 0,
                                     color: color, lineWidth: line)
            let label = group.items.sorted { $0.probability > $1.probability }
                .map { "\($0.className) \(Int(($0.probability * 100).rounded()))%" }.joined(separator: " / ")
            let m = canvas.measureText(label, size: size, weight: .bold)
            let top = b.top - m.height - 4 >= 0 ? b.top - m.height - 4 : b.top
            canvas.fillRect(x: b.left, y: top, width: m.width + 8, height: m.height + 4, color: color)
            canvas.text(label, at: (b.left + 4, top + 2), size: size, weight: .bold, color: .white, baseline: .top)
        }
        return canvas
    }

    /// A stable, well separated colour per class (hue steps of the golden angle).
    static func colour(_ index: Int) -> CanvasColor {
        let hue = (Double(index) * 137.508).truncatingRemainder(dividingBy: 360) / 60
        let (c, x) = (0.75, 0.75 * (1 - abs(hue.truncatingRemainder(dividingBy: 2) - 1)))
        let (r, g, b): (Double, Double, Double)
        switch Int(hue) {
        case 0: (r, g, b) = (c, x, 0)
        case 1: (r, g, b) = (x, c, 0)
        case 2: (r, g, b) = (0, c, x)
        case 3: (r, g, b) = (0, x, c)
        case 4: (r, g, b) = (x, 0, c)
        default: (r, g, b) = (c, 0, x)
        }
        return CanvasColor(r: r + 0.1, g: g + 0.1, b: b + 0.1)
    }
}
