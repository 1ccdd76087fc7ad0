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

/// The types that can hold no finite value: each one, with the types of its cycle, reaches
/// itself again through aliases and union members alone (`Box: {$ref: Box}`, `Ring: {oneOf:
/// [{$ref: Ring}]}`), never through an object or a container. Such a type is not an error of
/// Rust's, but decoding one would recurse without reading any input until the stack
/// overflowed, so lowering refuses the schemas instead. Each cycle once, in type order.
pub fn cycles_without_structure(types: &[TypeDef]) -> Vec<Vec<usize>> {
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias { target, .. } => direct_target(target).into_iter().collect(),
            TypeKind::Union(union) => union
                .variants
                .iter()
                .filter_map(|variant| direct_target(&variant.ty))
                .collect(),
            TypeKind::Struct(_) | TypeKind::Enum(_) => Vec::new(),
        })
        .collect();
    let found = components(&edges);
    let mut cycles: Vec<Vec<usize>> = Vec::new();
    for (index, &(component, shared)) in found.iter().enumerate() {
        if !shared && !edges[index].contains(&index) {
            continue;
        }
        match cycles
            .iter_mut()
            .find(|cycle| found[cycle[0]].0 == component)
        {
            Some(cycle) => cycle.push(index),
            None => cycles.push(vec![index]),
        }
    }
    cycles
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
    use super::{components, cycles_without_structure};
    use crate::ir::{Docs, Struct, TypeDef, TypeId, TypeKind, TypeRef, Union, UnionVariant};

    fn def(kind: TypeKind) -> TypeDef {
        TypeDef {
            name: String::new(),
            origin: String::new(),
            docs: Docs::default(),
            kind,
        }
    }

    fn alias(to: usize) -> TypeDef {
        def(TypeKind::Alias {
            target: TypeRef::Nullable(Box::new(TypeRef::Named(TypeId(to)))),
            recursive: false,
        })
    }

    fn union(members: &[TypeRef]) -> TypeDef {
        def(TypeKind::Union(Union {
            variants: members
                .iter()
                .map(|ty| UnionVariant {
                    rust_name: String::new(),
                    ty: ty.clone(),
                    boxed: false,
                    tags: Vec::new(),
                })
                .collect(),
            discriminator: None,
        }))
    }

    #[test]
    fn cycles_through_aliases_and_unions_alone_hold_no_value() {
        let list_of = |id| TypeRef::Array(Box::new(TypeRef::Named(TypeId(id))));
        let types = vec![
            // 0: `Box = Box`.
            alias(0),
            // 1 and 2: a union member that is an alias of the union, nothing between.
            union(&[TypeRef::Named(TypeId(2)), TypeRef::Any]),
            alias(1),
            // 3: back to itself through a list, which reads input first.
            union(&[list_of(3)]),
            // 4 and 5: an alias of a struct.
            def(TypeKind::Struct(Struct {
                fields: Vec::new(),
                additional: None,
            })),
            alias(4),
        ];
        assert_eq!(cycles_without_structure(&types), vec![vec![0], vec![1, 2]]);
    }

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
