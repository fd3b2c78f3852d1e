/// The penalty score that picks the mask (ISO/IEC 18004 §7.8.3): long runs, 2×2 blocks, finder-like
/// patterns and an unbalanced dark share all make a symbol harder to read.
enum MaskPenalty {
    static func score(_ modules: [Bool], size: Int) -> Int {
        var total = 0
        for line in 0..<size {
            let row = (0..<size).map { modules[line * size + $0] }
            let column = (0..<size).map { modules[$0 * size + line] }
            total += runs(row) + finderLike(row) + runs(column) + finderLike(column)
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let color = modules[y * size + x]
                if modules[y * size + x + 1] == color, modules[(y + 1) * size + x] == color, modules[(y + 1) * size + x + 1] == color {
                    total += 3
                }
            }
        }
        let dark = modules.reduce(0) { $0 + ($1 ? 1 : 0) }
        let cells = size * size
        // 10 points for each full 5 % the dark share is away from 50 %.
        total += max(0, (abs(dark * 20 - cells * 10) + cells - 1) / cells - 1) * 10
        return total
    }

    /// N1: 3 points for a run of five same-coloured modules, one more for each further module.
    private static func runs(_ line: [Bool]) -> Int {
        var penalty = 0
        var length = 1
        for index in 1..<line.count {
            if line[index] == line[index - 1] {
                length += 1
            } else {
                if length >= 5 { penalty += length - 2 }
                length = 1
            }
        }
        if length >= 5 { penalty += length - 2 }
        return penalty
    }

    /// N3: 40 points for dark-light-dark×3-light-dark with four light modules on either side (the
    /// quiet zone counts as light).
    private static func finderLike(_ line: [Bool]) -> Int {
        let padded = Array(repeating: false, count: 4) + line + Array(repeating: false, count: 4)
        let pattern: [Bool] = [true, false, true, true, true, false, true]
        var penalty = 0
        for start in 0...(padded.count - 7) where Array(padded[start..<start + 7]) == pattern {
            let before = start >= 4 && !padded[(start - 4)..<start].contains(true)
            let after = start + 11 <= padded.count && !padded[(start + 7)..<(start + 11)].contains(true)
            if before || after { penalty += 40 }
        }
        return penalty
    }
}
