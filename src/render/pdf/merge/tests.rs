use super::*;
use lopdf::{Stream, dictionary};
use rustc_hash::FxHashSet;
use std::collections::BTreeMap;

/// A PDF of `pages` pages reading `text`, whose page size and font are
/// set on the page tree, for the pages to inherit.
fn pdf(pages: usize, text: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let tree = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids = Vec::new();
    for page in 1..=pages {
        let content = format!("BT /F1 12 Tf 72 700 Td ({text} {page}) Tj ET");
        let content = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => tree, "Contents" => content, "StructParents" => 0,
        })));
    }
    doc.objects.insert(
        tree,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => kids, "Count" => pages as i64,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => tree });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A tagged PDF of `pages` pages: a `Document` element holding one `P`
/// per page, found from the page through the parent tree, whose last
/// entry points at an object the file does not hold.
fn tagged_pdf(pages: usize, text: &str) -> Vec<u8> {
    let mut doc = Document::load_mem(&pdf(pages, text)).unwrap();
    let root = doc.new_object_id();
    let document = doc.new_object_id();
    let mut kids = Vec::new();
    let mut nums = Vec::new();
    for (key, page) in (0..).zip(doc.get_pages().into_values()) {
        let element = doc.add_object(dictionary! {
            "Type" => "StructElem", "S" => "P", "P" => document, "Pg" => page, "K" => 0,
            "ID" => Object::string_literal("U1"),
        });
        kids.push(Object::Reference(element));
        let entry = doc.add_object(vec![Object::Reference(element)]);
        nums.extend([Object::Integer(key), Object::Reference(entry)]);
        let page = doc.get_object_mut(page).unwrap().as_dict_mut().unwrap();
        page.set("StructParents", key);
    }
    nums.extend([Object::Integer(pages as i64), Object::Reference((999, 0))]);
    let ids = vec![Object::string_literal("U1"), kids[0].clone()];
    doc.objects.insert(
        document,
        Object::Dictionary(dictionary! {
            "Type" => "StructElem", "S" => "Document", "P" => root, "K" => kids,
        }),
    );
    doc.objects.insert(
        root,
        Object::Dictionary(dictionary! {
            "Type" => "StructTreeRoot", "K" => vec![document.into()],
            "ParentTree" => dictionary! { "Nums" => nums },
            "ParentTreeNextKey" => pages as i64 + 1,
            "IDTree" => dictionary! { "Names" => ids },
            "RoleMap" => dictionary! { "Title" => "P" },
        }),
    );
    let catalog = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let catalog = doc.get_object_mut(catalog).unwrap().as_dict_mut().unwrap();
    catalog.set("StructTreeRoot", root);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

// why: each tagged part's pages must lead, through the merged parent
// tree, to the part's own elements; an untagged cover has none.
#[test]
fn tagged_parts_keep_their_structure_under_one_document() {
    let cover = Piece::of(&pdf(1, "Cover")).unwrap();
    let one = Piece::of(&tagged_pdf(2, "One")).unwrap();
    let two = Piece::of(&tagged_pdf(1, "Two")).unwrap();
    let part = |piece| Part {
        bookmarks: vec![Bookmark::new(1, "M", 0)],
        piece,
    };
    let merged = merge(&cover, &[part(&one), part(&two)], &metadata()).unwrap();
    let doc = Document::load_mem(&merged).unwrap();
    let dict = |o: &Object| doc.dereference(o).unwrap().1.as_dict().unwrap().clone();
    let catalog = doc.catalog().unwrap();
    let root = dict(catalog.get(b"StructTreeRoot").unwrap());
    let document = dict(root.get(b"K").unwrap());
    assert_eq!(document.get(b"S").unwrap().as_name().unwrap(), b"Document");
    let parts = document.get(b"K").unwrap().as_array().unwrap();
    assert_eq!(parts.len(), 2);
    for part in parts {
        let part = dict(part);
        assert_eq!(part.get(b"S").unwrap().as_name().unwrap(), b"Part");
        assert_eq!(part.get(b"P").unwrap(), root.get(b"K").unwrap());
    }
    // Part one's keys are 0 to 2, part two's start at the next round key,
    // 16 (see `layout`); the entries of objects the files did not hold
    // (2 and 17) are dropped.
    assert_eq!(
        root.get(b"ParentTreeNextKey").unwrap().as_i64().unwrap(),
        18
    );
    let nums = dict(root.get(b"ParentTree").unwrap());
    let nums = nums.get(b"Nums").unwrap().as_array().unwrap();
    let tree: BTreeMap<i64, &Object> = nums
        .chunks(2)
        .map(|pair| (pair[0].as_i64().unwrap(), &pair[1]))
        .collect();
    assert_eq!(tree.keys().copied().collect::<Vec<_>>(), [0, 1, 16]);
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let texts = ["One 1", "One 2", "Two 1"];
    for (page, text) in pages[1..].iter().zip(texts) {
        assert!(page_text(&doc, *page).contains(text));
        let key = doc
            .get_dictionary(*page)
            .unwrap()
            .get(b"StructParents")
            .unwrap();
        let entry = doc.dereference(tree[&key.as_i64().unwrap()]).unwrap().1;
        let element = dict(&entry.as_array().unwrap()[0]);
        assert_eq!(element.get(b"Pg").unwrap().as_reference().unwrap(), *page);
    }
    assert!(!doc.get_dictionary(pages[0]).unwrap().has(b"StructParents"));
    let ids = dict(root.get(b"IDTree").unwrap());
    let names = ids.get(b"Names").unwrap().as_array().unwrap();
    let names: Vec<&[u8]> = names
        .iter()
        .step_by(2)
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 2);
    assert_ne!(
        names[0], names[1],
        "each file's IDs get a prefix of their own"
    );
    assert!(catalog.has(b"MarkInfo"));
}

fn metadata() -> Metadata<'static> {
    Metadata {
        title: "Answer key",
        authors: &[],
        language: "fr",
        date: None,
    }
}

fn merged() -> Vec<u8> {
    let cover = Piece::of(&pdf(1, "Cover")).unwrap();
    let (one, two) = (
        Piece::of(&pdf(2, "One")).unwrap(),
        Piece::of(&pdf(3, "Two")).unwrap(),
    );
    let parts = [
        Part {
            bookmarks: vec![Bookmark::new(1, "Module 1", 0)],
            piece: &one,
        },
        Part {
            bookmarks: vec![Bookmark::new(1, "Module 2: Rôles", 0)],
            piece: &two,
        },
    ];
    merge(&cover, &parts, &metadata()).unwrap()
}

fn page_text(doc: &Document, page: ObjectId) -> String {
    String::from_utf8_lossy(&doc.get_page_content(page)).into_owned()
}

#[test]
fn the_pages_follow_the_cover_in_order_with_what_they_inherited() {
    let doc = Document::load_mem(&merged()).unwrap();
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let texts: Vec<String> = pages.iter().map(|p| page_text(&doc, *p)).collect();
    let expected = ["Cover 1", "One 1", "One 2", "Two 1", "Two 2", "Two 3"];
    assert_eq!(texts.len(), expected.len());
    for (text, expected) in texts.iter().zip(expected) {
        assert!(text.contains(&format!("({expected})")), "{text}");
    }
    let tree = doc
        .catalog()
        .unwrap()
        .get(b"Pages")
        .unwrap()
        .as_reference()
        .unwrap();
    for page in pages {
        let dict = doc.get_dictionary(page).unwrap();
        assert_eq!(dict.get(b"Parent").unwrap().as_reference().unwrap(), tree);
        assert!(dict.has(b"MediaBox") && dict.has(b"Resources"), "{dict:?}");
        assert!(!dict.has(b"StructParents"));
    }
}

#[test]
fn each_part_has_a_bookmark_to_its_first_page() {
    let doc = Document::load_mem(&merged()).unwrap();
    let toc = doc.get_toc().unwrap().toc;
    let entries: Vec<(String, u32)> = toc.into_iter().map(|e| (e.title, e.page as u32)).collect();
    assert_eq!(
        entries,
        [("Module 1".into(), 2), ("Module 2: Rôles".into(), 4)]
    );
}

/// Each entry of the cross-reference stream of `file`: an object number
/// and its offset, run by run, read by hand rather than by lopdf.
fn table_entries(file: &[u8]) -> Vec<(usize, usize)> {
    let text = String::from_utf8_lossy(file);
    let start: usize = text[text.rfind("startxref\n").unwrap() + 10..]
        .lines()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let object = &file[start..];
    let head = String::from_utf8_lossy(
        &object[..object.windows(7).position(|w| w == b"stream\n").unwrap()],
    );
    assert!(head.contains("/Type/XRef"), "{head}");
    let numbers = |key: &str| -> Vec<usize> {
        let at = head.find(key).unwrap() + key.len();
        let end = at + head[at..].find(']').unwrap();
        head[at..end]
            .split(' ')
            .map(|n| n.parse().unwrap())
            .collect()
    };
    let width = numbers("/W[")[1];
    let index = numbers("/Index[");
    let data = &object[head.len() + 7..];
    let mut entries = Vec::new();
    let mut at = 0;
    for run in index.chunks(2) {
        for number in run[0]..run[0] + run[1] {
            let entry = &data[at..at + 1 + width + 2];
            let offset = entry[1..1 + width]
                .iter()
                .fold(0, |n, b| n * 256 + *b as usize);
            if entry[0] == 1 {
                entries.push((number, offset));
            }
            at += entry.len();
        }
    }
    entries
}

// why: pieces start at round numbers, so the cross-reference stream has
// gaps; a reader that finds no entry for an object it is sent to reports
// a broken file.
#[test]
fn the_cross_reference_table_points_at_every_object() {
    let file = merged();
    let entries = table_entries(&file);
    for (number, offset) in &entries {
        assert!(
            file[*offset..].starts_with(format!("{number} 0 obj\n").as_bytes()),
            "{number}"
        );
    }
    assert!(entries.len() > 10 && entries.windows(2).any(|w| w[1].0 > w[0].0 + 1));
    let doc = Document::load_mem(&file).unwrap();
    let numbers: FxHashSet<u32> = entries.iter().map(|(n, _)| *n as u32).collect();
    for object in doc.objects.values() {
        visit_references(object, &mut |(target, _)| {
            assert!(numbers.contains(&target), "{target} is referred to");
        });
    }
}

/// The file `splices` make, with `previous` as the file merged before.
fn spliced(written: &Written, previous: &[u8]) -> Vec<u8> {
    let mut file = Vec::new();
    for splice in &written.splices {
        match splice {
            Splice::Own(range) => file.extend_from_slice(&written.bytes[range.clone()]),
            Splice::Previous(range) => {
                file.extend_from_slice(&previous[range.start as usize..range.end as usize])
            }
        }
    }
    file
}

/// `pieces` merged, those `kept` copied from the segments of `before`.
fn merge_keeping(pieces: &[&Piece], before: Option<&Written>, kept: &[usize]) -> Written {
    let plan = Plan {
        stamps: Vec::new(),
        pieces: pieces.iter().map(|p| Cow::Owned(p.head())).collect(),
        size: 0,
        tagged: true,
    };
    let source = |i: usize| {
        let source = match before {
            Some(before) if kept.contains(&i) => Source::Previous(before.segments[i].clone()),
            _ => Source::Piece(Cow::Borrowed(pieces[i])),
        };
        Ok((vec![Bookmark::new(1, "M", 0)], source))
    };
    merge_each(&plan, source, &metadata()).unwrap()
}

// why: after a one-word edit the course book copies every other piece
// from the last book; the file must be the one a build from nothing
// makes, byte for byte, or two builds of one pack would differ.
#[test]
fn a_file_keeping_the_pieces_that_did_not_change_is_the_one_merged_anew() {
    let (cover, one, two) = (
        Piece::of(&pdf(1, "Cover")).unwrap(),
        Piece::of(&tagged_pdf(2, "One")).unwrap(),
        Piece::of(&tagged_pdf(3, "Two")).unwrap(),
    );
    let before = merge_keeping(&[&cover, &one, &two], None, &[]);
    assert!(before.splices.is_empty());
    let edited = Piece::of(&tagged_pdf(2, "Uno, edited")).unwrap();
    let pieces = [&cover, &edited, &two];
    let kept = merge_keeping(&pieces, Some(&before), &[0, 2]);
    // The header, the cover kept, the edited piece, the last piece kept,
    // the trailer.
    assert_eq!(kept.splices.len(), 5, "{:?}", kept.splices);
    let file = spliced(&kept, &before.bytes);
    assert_eq!(file, merge_keeping(&pieces, None, &[]).bytes);
    let patch = crate::render::Spliced {
        bytes: Vec::new(),
        splices: kept.splices.clone(),
        previous: Default::default(),
    };
    assert!(patch.in_place(), "each piece starts a block: none moved");
    assert_eq!(kept.size(), file.len() as u64);
    let doc = Document::load_mem(&file).unwrap();
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    assert!(page_text(&doc, pages[1]).contains("Uno, edited 1"));
    assert!(page_text(&doc, pages[5]).contains("Two 3"));
}

// why: a piece whose place changed has other numbers in its bytes;
// copying it would point its references at another piece's objects.
#[test]
fn a_piece_is_not_kept_where_it_no_longer_goes() {
    let (cover, one) = (
        Piece::of(&pdf(1, "Cover")).unwrap(),
        Piece::of(&tagged_pdf(2, "One")).unwrap(),
    );
    let before = merge_keeping(&[&one, &cover], None, &[]);
    let plan = Plan {
        stamps: Vec::new(),
        pieces: [&cover, &one]
            .iter()
            .map(|p| Cow::Owned(p.head()))
            .collect(),
        size: 0,
        tagged: true,
    };
    let source = |i: usize| Ok((Vec::new(), Source::Previous(before.segments[1 - i].clone())));
    let error = merge_each(&plan, source, &metadata()).err().unwrap();
    assert_eq!(
        error.to_string(),
        "a piece kept from the last file has moved"
    );
}

#[test]
fn a_piece_is_the_same_after_the_cache() {
    let piece = Piece::of(&pdf(2, "One")).unwrap();
    let bytes = postcard::to_stdvec(&piece).unwrap();
    assert_eq!(postcard::from_bytes::<Piece>(&bytes).unwrap(), piece);
    assert_eq!(piece.page_count(), 2);
}

#[test]
fn a_pdf_without_pages_is_refused() {
    let mut doc = Document::with_version("1.7");
    let tree = doc.add_object(dictionary! { "Type" => "Pages", "Kids" => vec![], "Count" => 0 });
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => tree });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    let error = Piece::of(&out).unwrap_err();
    assert_eq!(error.to_string(), "the PDF has no pages");
    assert!(Piece::of(b"not a PDF").is_err());
}

// why: copies of a page share what it shows, so a class of 24 is 24 page
// dictionaries per page, not 24 content streams.
#[test]
fn copies_of_a_page_share_its_content() {
    let one = Piece::untagged(&pdf(2, "One")).unwrap();
    let of = |page| PrintPage::Of { piece: 0, page };
    let pages = [of(0), of(1), PrintPage::Blank, of(0), of(1)];
    let run = Printed {
        pieces: &[&one],
        pages: &pages,
        bookmarks: &[("One".into(), 3)],
        paper: (595.0, 842.0),
    };
    let doc = Document::load_mem(&print(&run, &metadata()).unwrap()).unwrap();
    let ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
    assert_eq!(ids.len(), 5);
    let contents = |page: ObjectId| {
        let dict = doc.get_dictionary(page).unwrap();
        dict.get(b"Contents").unwrap().as_reference().unwrap()
    };
    assert_ne!(ids[0], ids[3]);
    assert_eq!(contents(ids[0]), contents(ids[3]));
    assert_eq!(contents(ids[1]), contents(ids[4]));
    assert!(page_text(&doc, ids[4]).contains("(One 2)"));
    let blank = doc.get_dictionary(ids[2]).unwrap();
    assert!(blank.has(b"MediaBox") && !blank.has(b"Contents"));
    let streams = doc
        .objects
        .values()
        // Neither the cross-reference stream nor metadata: content.
        .filter(
            |o| matches!(o, Object::Stream(s) if !s.dict.has(b"Subtype") && !s.dict.has(b"Type")),
        )
        .count();
    assert_eq!(streams, 2, "one content stream per page of the piece");
    assert!(!doc.catalog().unwrap().has(b"StructTreeRoot"));
    let toc = doc.get_toc().unwrap().toc;
    assert_eq!(toc[0].page, 4);
    // A tagged piece would need its elements copied with each page.
    let tagged = Piece::of(&tagged_pdf(1, "Tagged")).unwrap();
    let run = Printed {
        pieces: &[&tagged],
        pages: &[PrintPage::Of { piece: 0, page: 0 }],
        bookmarks: &[],
        paper: (595.0, 842.0),
    };
    assert!(print(&run, &metadata()).is_err());
}

// why: the course book's page numbers are stamped on when it is bound:
// page `i` of the merged file must draw stamp page `i`, over its own
// content and after restoring the graphics state that content left.
#[test]
fn stamped_pages_draw_their_own_stamp_in_order() {
    let cover = Piece::stamped(&pdf(1, "Cover")).unwrap();
    let part = Piece::stamped(&tagged_pdf(2, "Part")).unwrap();
    let stamps = [Piece::stamps(&pdf(3, "Number")).unwrap()];
    let parts = [Part {
        bookmarks: Vec::new(),
        piece: &part,
    }];
    let merged = merge_stamped(&cover, &parts, &metadata(), &stamps).unwrap();
    let doc = Document::load_mem(&merged).unwrap();
    for (i, page) in doc.get_pages().into_values().enumerate() {
        let dict = doc.get_dictionary(page).unwrap();
        let resources = dict.get(b"Resources").unwrap().as_dict().unwrap();
        let xobjects = resources.get(b"XObject").unwrap().as_dict().unwrap();
        let form = xobjects.get(b"TpStamp").unwrap().as_reference().unwrap();
        let form = doc.get_object(form).unwrap().as_stream().unwrap();
        let drawn = String::from_utf8(form.decompressed_content().unwrap()).unwrap();
        assert!(drawn.contains(&format!("(Number {}) Tj", i + 1)), "{drawn}");
        let contents = dict.get(b"Contents").unwrap().as_array().unwrap();
        let stream = |o: &Object| {
            let id = o.as_reference().unwrap();
            doc.get_object(id)
                .unwrap()
                .as_stream()
                .unwrap()
                .content
                .clone()
        };
        assert_eq!(stream(&contents[0]), b"q\n");
        let last = String::from_utf8(stream(contents.last().unwrap())).unwrap();
        assert!(
            last.starts_with("Q\n/Artifact") && last.contains("/TpStamp Do"),
            "{last}"
        );
    }
}

// why: a stamped page without its stamp would draw an XObject that is not
// there, which readers report as a broken file.
#[test]
fn stamped_pieces_need_a_stamp_for_every_page() {
    let cover = Piece::stamped(&pdf(2, "Cover")).unwrap();
    let stamps = [Piece::stamps(&pdf(1, "Number")).unwrap()];
    let error = merge_stamped(&cover, &[], &metadata(), &stamps).unwrap_err();
    assert_eq!(error.to_string(), "1 stamps for 2 pages");
}
