//! The cycle pass: recursive schemas need indirection somewhere. Fields and union variants
//! that point back into their own strongly connected component get a `Box` (containers such
//! as `Vec` and maps already indirect), and aliases that take part in any cycle become
//! transparent newtypes, because a Rust `type` alias may not refer to itself.

use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef};

/// Marks `boxed` fields and variants and `recursive` aliases.
pub fn break_cycles(types: &mut [TypeDef]) {
    let all_edges: Vec<Vec<usize>> = types.iter().map(|def| edges(def, true)).collect();
    let any_cycle = components(&all_edges);
    for (index, def) in types.iter_mut().enumerate() {
        if let TypeKind::Alias { recursive, .. } = &mut def.kind {
            *recursive = any_cycle[index].1 || all_edges[index].contains(&index);
        }
    }
    // Newtypes hold their target inline, so their edge is direct from here on.
    let direct_edges: Vec<Vec<usize>> = types.iter().map(|def| edges(def, false)).collect();
    let direct = components(&direct_edges);
    let same_component = |from: usize, ty: &TypeRef| {
        direct_target(ty).is_some_and(|to| direct[to].0 == direct[from].0)
    };
    for (index, def) in types.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(structure) => {
                for field in &mut structure.fields {
                    field.boxed = same_component(index, &field.ty);
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    variant.boxed = same_component(index, &variant.ty);
                }
            }
            TypeKind::Alias { .. } | TypeKind::Enum(_) => {}
        }
    }
}

/// The named type a use holds inline (through `Option` only), if any.
pub fn direct_target(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(TypeId(id)) => Some(*id),
        TypeRef::Nullable(inner) => direct_target(inner),
        _ => None,
    }
}

fn collect_all(ty: &TypeRef, out: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(TypeId(id)) => out.push(*id),
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            collect_all(inner, out)
        }
        TypeRef::Tuple(members) => members.iter().for_each(|member| collect_all(member, out)),
        TypeRef::Primitive(_) | TypeRef::Any => {}
    }
}

fn edges(def: &TypeDef, through_containers: bool) -> Vec<usize> {
    let mut out = Vec::new();
    let mut add = |ty: &TypeRef| {
        if through_containers {
            collect_all(ty, &mut out);
        } else if let Some(target) = direct_target(ty) {
            out.push(target);
        }
    };
    match &def.kind {
        TypeKind::Struct(structure) => {
            structure.fields.iter().for_each(|field| add(&field.ty));
            if let Some(additional) = &structure.additional {
                add(additional);
            }
        }
        TypeKind::Union(union) => union.variants.iter().for_each(|variant| add(&variant.ty)),
        TypeKind::Alias { target, recursive } => {
            // Plain aliases are transparent: their edge matters only to find alias cycles.
            if through_containers || *recursive {
                add(target);
            }
        }
        TypeKind::Enum(_) => {}
    }
    out
}

/// Tarjan's strongly connected components, iterative so deep schemas cannot overflow the
/// stack. Returns, per node, its component number and whether that component has more than
/// one node.
fn components(edges: &[Vec<usize>]) -> Vec<(usize, bool)> {
    const UNVISITED: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![(0, false); n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (node, ref mut child)) = work.last_mut() {
            if *child == 0 && index[node] == UNVISITED {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = edges[node].get(*child) {
                *child += 1;
                if index[next] == UNVISITED {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                let mut members = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    members.push(member);
                    if member == node {
                        break;
                    }
                }
                let shared = members.len() > 1;
                for member in members {
                    component[member] = (next_component, shared);
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::components;

    #[test]
    fn finds_cycles_and_singletons() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 alone.
        let edges = vec![vec![1], vec![2], vec![0], vec![3], vec![]];
        let found = components(&edges);
        assert_eq!(found[0].0, found[1].0);
        assert_eq!(found[1].0, found[2].0);
        assert!(found[0].1);
        assert!(!found[3].1);
        assert_ne!(found[3].0, found[4].0);
    }
}
