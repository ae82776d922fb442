//! Hierarchical clustering of a distance matrix by Ward's method, as R's `stylo` draws its cluster analysis:
//! `hclust(as.dist(distances), method = "ward")`, which R (since 3.1.0) runs as `ward.D` — the Lance–Williams
//! update applied to the distances as given (Burrows's Delta), not to their squares as `ward.D2` does:
//!
//! d(k, i∪j) = ((nᵢ + nₖ)·d(k, i) + (nⱼ + nₖ)·d(k, j) − nₖ·d(i, j)) / (nᵢ + nⱼ + nₖ)
//!
//! for clusters of nᵢ, nⱼ and nₖ documents. Each step merges the closest pair (ties: the pair of lowest indices,
//! as R's Fortran scans them), and the merged cluster takes the lower index. The leaf order is R's: at each merge
//! a lone document goes before a cluster, two documents in input order, two clusters in the order they were
//! formed; the dendrogram lists its leaves in that order, so no branches cross.

/// One side of a merge: a document (its index in the distance matrix) or the cluster formed by an earlier merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// The document at this index.
    Leaf(usize),
    /// The cluster formed by the merge at this index of [`Tree::merges`].
    Cluster(usize),
}

/// One merge: its two sides (left first, in R's order) and the distance at which they merge.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Merge {
    /// The side drawn first.
    pub left: Node,
    /// The other side.
    pub right: Node,
    /// The Ward distance between the two.
    pub height: f64,
}

/// The dendrogram of `n` documents: `n − 1` merges, lowest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    /// How many documents were clustered.
    pub leaves: usize,
    /// The merges in the order they were made.
    pub merges: Vec<Merge>,
}

/// A dendrogram of documents: the tree and each leaf's label (its document id).
#[derive(Debug, Clone, PartialEq)]
pub struct Dendrogram {
    /// The document ids, in the order of the distance matrix clustered.
    pub labels: Vec<String>,
    /// The merges.
    pub tree: Tree,
}

/// Clusters the documents whose distances are `d` (square and symmetric; the diagonal is not read) by Ward's
/// method (`ward.D`). A nearest-neighbour list per row keeps it near O(n²) for most inputs.
pub fn ward(d: &[Vec<f64>]) -> Tree {
    let n = d.len();
    let mut d: Vec<Vec<f64>> = d.to_vec();
    let mut size = vec![1usize; n];
    // Per active row: the merge that formed it (None for a document) — R's cluster ids.
    let mut formed: Vec<Option<usize>> = vec![None; n];
    let mut active = vec![true; n];
    let mut nearest: Vec<(usize, f64)> = (0..n).map(|i| nearest_after(&d, &active, i)).collect();
    let mut merges = Vec::with_capacity(n.saturating_sub(1));
    for _ in 1..n {
        // The closest pair: ties go to the lowest row, then (in its nearest neighbour) the lowest column.
        let mut i = usize::MAX;
        for r in (0..n).filter(|&r| active[r] && nearest[r].0 < n) {
            if i == usize::MAX || nearest[r].1 < nearest[i].1 {
                i = r;
            }
        }
        if i == usize::MAX {
            break;
        }
        let (j, height) = nearest[i];
        let node = |r: usize| formed[r].map_or(Node::Leaf(r), Node::Cluster);
        let (a, b) = (node(i), node(j));
        // R's order: a document before a cluster, documents by index (i < j), clusters by when they formed.
        let (left, right) = match (a, b) {
            (Node::Cluster(_), Node::Leaf(_)) => (b, a),
            (Node::Cluster(x), Node::Cluster(y)) if y < x => (b, a),
            _ => (a, b),
        };
        merges.push(Merge { left, right, height });
        for k in (0..n).filter(|&k| active[k] && k != i && k != j) {
            let (ni, nj, nk) = (size[i] as f64, size[j] as f64, size[k] as f64);
            let merged = ((ni + nk) * d[k][i] + (nj + nk) * d[k][j] - nk * d[i][j]) / (ni + nj + nk);
            d[k][i] = merged;
            d[i][k] = merged;
        }
        size[i] += size[j];
        formed[i] = Some(merges.len() - 1);
        active[j] = false;
        for k in (0..n).filter(|&k| active[k]) {
            let (m, dm) = nearest[k];
            if k == i || m == i || m == j {
                nearest[k] = nearest_after(&d, &active, k);
            } else if k < i && (d[k][i] < dm || (d[k][i] == dm && i < m)) {
                nearest[k] = (i, d[k][i]);
            }
        }
    }
    Tree { leaves: n, merges }
}

/// The active row after `i` nearest to it (the first of equals), or `(usize::MAX, ∞)` if none is.
fn nearest_after(d: &[Vec<f64>], active: &[bool], i: usize) -> (usize, f64) {
    let mut best = (usize::MAX, f64::INFINITY);
    for j in (i + 1..d.len()).filter(|&j| active[j]) {
        if best.0 == usize::MAX || d[i][j] < best.1 {
            best = (j, d[i][j]);
        }
    }
    best
}

impl Tree {
    /// The documents from top to bottom (or left to right) of the drawn dendrogram: R's `hclust()$order`, 0-based.
    pub fn order(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.leaves);
        let mut stack = match self.merges.last() {
            Some(_) => vec![Node::Cluster(self.merges.len() - 1)],
            None => (0..self.leaves).rev().map(Node::Leaf).collect(),
        };
        while let Some(node) = stack.pop() {
            match node {
                Node::Leaf(leaf) => order.push(leaf),
                Node::Cluster(m) => {
                    // A merge names only earlier ones, so the walk ends.
                    if let Some(merge) = self.merges.get(m).filter(|_| m < self.merges.len()) {
                        stack.push(merge.right);
                        stack.push(merge.left);
                    }
                }
            }
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The distances between points on a line: |x − y|.
    fn on_a_line(xs: &[f64]) -> Vec<Vec<f64>> {
        xs.iter().map(|x| xs.iter().map(|y| (x - y).abs()).collect()).collect()
    }

    #[test]
    fn ward_d_merges_and_heights_equal_the_lance_williams_arithmetic_by_hand() {
        // Documents 0..4 at 0, 6, 1, 4, 10 on a line. Distances: d01 6, d02 1, d03 4, d04 10, d12 5, d13 2,
        // d14 4, d23 3, d24 9, d34 6.
        // 1. Smallest d02 = 1: {0,2} at 1. With n = 1 each, d(k, {0,2}) = (2·d(k,0) + 2·d(k,2) − 1) / 3:
        //    k = 1: (12 + 10 − 1)/3 = 7; k = 3: (8 + 6 − 1)/3 = 13/3; k = 4: (20 + 18 − 1)/3 = 37/3.
        // 2. Smallest left, d13 = 2: {1,3} at 2. d({0,2}, {1,3}) = ((1+2)·7 + (1+2)·13/3 − 2·2) / 4 = 30/4 = 7.5;
        //    d(4, {1,3}) = ((1+1)·4 + (1+1)·6 − 1·2) / 3 = 6.
        // 3. Smallest of 7.5, 37/3 (d({0,2}, 4)) and 6: {1,3} with 4 at 6.
        //    d({0,2}, {1,3,4}) = ((2+2)·7.5 + (1+2)·37/3 − 2·6) / 5 = (30 + 37 − 12) / 5 = 11.
        // 4. {0,2} with {1,3,4} at 11.
        let tree = ward(&on_a_line(&[0.0, 6.0, 1.0, 4.0, 10.0]));
        let heights: Vec<f64> = tree.merges.iter().map(|m| m.height).collect();
        let expected = [1.0, 2.0, 6.0, 11.0];
        assert!(heights.iter().zip(expected).all(|(h, e)| (h - e).abs() < 1e-12), "{heights:?}");
        use Node::{Cluster, Leaf};
        let sides: Vec<(Node, Node)> = tree.merges.iter().map(|m| (m.left, m.right)).collect();
        // Step 3 merges the cluster of step 2 with document 4: the lone document goes first, as in R's merge
        // matrix (−5, 2).
        assert_eq!(sides, [(Leaf(0), Leaf(2)), (Leaf(1), Leaf(3)), (Leaf(4), Cluster(1)), (Cluster(0), Cluster(2))]);
        // Expanding the last merge left to right: {0,2} then {4, {1,3}}.
        assert_eq!(tree.order(), [0, 2, 4, 1, 3]);
    }

    #[test]
    fn ward_d_is_not_ward_d2() {
        // Four points at 0, 1, 4, 6. After {0,1} at 1 and {2,3} at 2, ward.D gives
        // d({0,1}, {2,3}) = (3·13/3 + 3·7 − 2·2) / 4 = 7.5, where d({0,1}, 2) = (2·4 + 2·3 − 1)/3 = 13/3 and
        // d({0,1}, 3) = (2·6 + 2·5 − 1)/3 = 7. ward.D2, the same update on squared distances, would give
        // √((3·49/3 + 3·121/3 − 2·4) / 4) = √40.5 = 6.36.
        let tree = ward(&on_a_line(&[0.0, 1.0, 4.0, 6.0]));
        assert!((tree.merges[2].height - 7.5).abs() < 1e-12, "{:?}", tree.merges);
        assert_eq!(tree.order(), [0, 1, 2, 3]);
    }

    #[test]
    fn ties_go_to_the_lowest_pair_and_tiny_inputs_have_no_merges() {
        // Three documents all 1 apart: {0,1} first, then 2 (a document, so first) with it.
        let tree = ward(&[vec![0.0, 1.0, 1.0], vec![1.0, 0.0, 1.0], vec![1.0, 1.0, 0.0]]);
        assert_eq!(tree.merges[0].left, Node::Leaf(0));
        assert_eq!(tree.merges[0].right, Node::Leaf(1));
        assert_eq!(tree.order(), [2, 0, 1]);
        assert_eq!(ward(&[vec![0.0]]).order(), [0]);
        assert!(ward(&[]).order().is_empty());
    }
}
