//! A project folder: the manifest in memory, documents read and written one at a time.

use super::atomic::{write_atomic_then, SyncFolder};
use super::format::{self, check_version, DocumentFile, ProjectFile, Settings};
use super::layers::{self, LayerFile};
use super::manifest::{self, Manifest};
use super::{import, write_atomic, StoreError, FORMAT_VERSION};
use crate::model::{Annotator, DocId, Document, IdSource, LabelSchema};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

/// The manifest's file name.
pub const MANIFEST: &str = "tagwright.ron";
const DOCS: &str = "documents";

/// An open project: name, schema and the ordered list of document ids. Documents themselves are
/// read with [`Project::load_document`] when needed.
#[derive(Debug, Clone)]
pub struct Project {
    root: PathBuf,
    pub name: String,
    pub schema: LabelSchema,
    ids: Vec<DocId>,
    /// The same ids, for O(1) look-ups.
    listed: HashSet<DocId>,
    /// The manifest as it was on disk when this process last read or wrote it (the base of the
    /// three-way merge with other writers).
    base: Manifest,
    /// Sentences about label conflicts met while merging with other writers (for the person).
    pub merge_notes: Vec<String>,
    /// Content hash of the manifest as this process last read or wrote it.
    disk_hash: u64,
    /// Whose layer documents are read from and saved to (see `layers`); `None`: the main layer,
    /// the work in `documents/<id>.ron` itself.
    layer: Option<Annotator>,
}

/// Read and check a manifest file; also the content hash of its bytes.
fn read_manifest(path: &Path) -> Result<(Manifest, u64), StoreError> {
    let bytes = format::read_bounded(path)?;
    let hash = super::journal::content_hash(&bytes);
    let file: ProjectFile = format::parse_ron_bytes(&bytes, path)?;
    check_version(path, file.format_version)?;
    let invalid = |msg: String| StoreError::Invalid {
        path: path.to_path_buf(),
        msg,
    };
    let schema = LabelSchema {
        labels: file.labels,
        allow_overlap: file.settings.allow_overlap,
    };
    schema.validate().map_err(|e| invalid(e.to_string()))?;
    let mut ids = Vec::with_capacity(file.documents.len());
    let mut seen = HashSet::with_capacity(file.documents.len());
    for raw in &file.documents {
        let id = DocId::new(raw).map_err(|e| invalid(e.to_string()))?;
        if !seen.insert(id.clone()) {
            return Err(invalid(format!("lists document {raw:?} twice")));
        }
        ids.push(id);
    }
    Ok((
        Manifest {
            name: file.name,
            schema,
            ids,
        },
        hash,
    ))
}

/// Documents read for a project and not yet added (see [`Project::read_import`]).
#[derive(Debug, Clone)]
pub struct ImportBatch {
    /// The documents in file order, with their ids.
    pub docs: Vec<super::formats::PendingDoc>,
    /// The project's schema with the labels the import adds (suggest against this one).
    pub schema: LabelSchema,
    /// The importers' warnings, and the labels added.
    pub warnings: Vec<String>,
}

impl Project {
    /// Create a new project folder (the folder may exist but must not hold a project).
    pub fn create(root: &Path, name: &str, schema: LabelSchema) -> Result<Project, StoreError> {
        if root.join(MANIFEST).exists() {
            return Err(StoreError::AlreadyExists {
                path: root.to_path_buf(),
            });
        }
        schema.validate().map_err(|e| StoreError::Invalid {
            path: root.join(MANIFEST),
            msg: e.to_string(),
        })?;
        fs::create_dir_all(root.join(DOCS))
            .map_err(|e| StoreError::io("create", root.join(DOCS), e))?;
        let ours = Manifest {
            name: name.to_string(),
            schema: schema.clone(),
            ids: Vec::new(),
        };
        let mut p = Project {
            root: root.to_path_buf(),
            name: name.to_string(),
            schema,
            ids: Vec::new(),
            listed: HashSet::new(),
            base: ours,
            merge_notes: Vec::new(),
            disk_hash: 0,
            layer: None,
        };
        let _lock = manifest::lock(root)?;
        // Another `new` may have won the race for this folder.
        if root.join(MANIFEST).exists() {
            return Err(StoreError::AlreadyExists {
                path: root.to_path_buf(),
            });
        }
        p.write_manifest()?;
        // Where the team writes how to annotate (shown in the window); empty to start with.
        if !super::guidelines::guidelines_path(root).exists() {
            super::guidelines::write_guidelines(root, "")?;
        }
        Ok(p)
    }

    /// Open a project folder: reads and checks the manifest only.
    pub fn open(root: &Path) -> Result<Project, StoreError> {
        let path = root.join(MANIFEST);
        if !path.exists() {
            return Err(StoreError::NotAProject {
                path: root.to_path_buf(),
            });
        }
        let (m, disk_hash) = read_manifest(&path)?;
        Ok(Project {
            disk_hash,
            root: root.to_path_buf(),
            name: m.name.clone(),
            schema: m.schema.clone(),
            listed: m.ids.iter().cloned().collect(),
            ids: m.ids.clone(),
            base: m,
            merge_notes: Vec::new(),
            layer: None,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn ids(&self) -> &[DocId] {
        &self.ids
    }

    /// Read and save documents as `who`'s layer from now on (`None`: the main layer).
    pub fn set_layer(&mut self, who: Option<Annotator>) {
        self.layer = who;
    }

    /// Whose layer this project reads and saves (`None`: the main layer).
    pub fn layer(&self) -> Option<&Annotator> {
        self.layer.as_ref()
    }

    /// The file holding a document's text (and the main layer's work).
    pub fn text_path(&self, id: &DocId) -> PathBuf {
        self.root.join(DOCS).join(format!("{id}.ron"))
    }

    /// The journal of unsaved edits of this project's layer: each layer has its own, so edits
    /// recovered after a crash go back into the layer they were made in.
    pub fn journal_path(&self) -> PathBuf {
        super::journal::path_for(&self.root, self.layer.as_ref())
    }

    /// Where the model learned from this project's layer is kept: the project's own model for the
    /// main layer; an annotator's in their layer folder (only they write it, so it never
    /// conflicts in a merge).
    pub fn model_path(&self) -> PathBuf {
        match &self.layer {
            None => super::model_path(&self.root),
            Some(who) => super::model_path(&layers::layer_dir(&self.root, who)),
        }
    }

    /// This project's layer folders are real folders inside the project (see
    /// [`layers::check_real_dir`]); always for the main layer.
    pub fn check_layer_dirs(&self) -> Result<(), StoreError> {
        if let Some(who) = &self.layer {
            layers::check_layer_dirs(&self.root, who)?;
        }
        Ok(())
    }

    /// The index cache of this project's layer (see `index`).
    pub fn index_path(&self) -> PathBuf {
        match &self.layer {
            None => self.root.join(super::index::INDEX),
            Some(who) => self.root.join(format!("index.cache.{who}.jsonl")),
        }
    }

    /// The file whose length and modification time a document's index entry is checked against:
    /// this layer's file of it, or the document's own while an annotator has none (their blind
    /// start comes from it).
    pub fn stamp_path(&self, id: &DocId) -> PathBuf {
        let own = self.document_path(id);
        match self.layer.is_some() && fs::symlink_metadata(&own).is_err() {
            true => self.text_path(id),
            false => own,
        }
    }

    /// Whether this project's layer has the document: always for the main layer; for an
    /// annotator, when they have a file for it (they opened or imported it).
    pub fn in_layer(&self, id: &DocId) -> bool {
        self.layer.is_none() || fs::symlink_metadata(self.document_path(id)).is_ok()
    }

    /// The file this project's layer of a document is saved in (for the main layer, the
    /// document's own file).
    pub fn document_path(&self, id: &DocId) -> PathBuf {
        match &self.layer {
            None => self.text_path(id),
            Some(who) => layers::layer_dir(&self.root, who).join(format!("{id}.ron")),
        }
    }

    /// This process's version of the manifest.
    fn ours(&self) -> Manifest {
        Manifest {
            name: self.name.clone(),
            schema: self.schema.clone(),
            ids: self.ids.clone(),
        }
    }

    /// Take in what other processes wrote since the last read or write: the three-way merge of
    /// the base, this version and the disk's (under the lock when a write follows; a read alone
    /// needs none, since the manifest is only ever replaced whole). Conflicts are kept in
    /// [`Project::merge_notes`].
    fn merge_from_disk(&mut self) -> Result<(), StoreError> {
        let path = self.root.join(MANIFEST);
        let theirs = if path.exists() {
            let (m, hash) = read_manifest(&path)?;
            self.disk_hash = hash;
            m
        } else {
            self.base.clone()
        };
        let (merged, notes) = manifest::merge(&self.base, &self.ours(), &theirs);
        self.merge_notes.extend(notes);
        self.name = merged.name;
        self.schema = merged.schema;
        self.listed = merged.ids.iter().cloned().collect();
        self.ids = merged.ids;
        self.base = theirs;
        Ok(())
    }

    /// Take in what other processes wrote to the manifest, without writing (read-only callers,
    /// such as the window noticing a change on disk).
    pub fn refresh(&mut self) -> Result<(), StoreError> {
        self.merge_from_disk()
    }

    /// Write the manifest (atomically) after merging what other processes wrote meanwhile, under
    /// the project's lock: nothing they added is lost.
    pub fn save_manifest(&mut self) -> Result<(), StoreError> {
        let _lock = manifest::lock(&self.root)?;
        self.merge_from_disk()?;
        self.write_manifest()
    }

    /// Write this version of the manifest (call under the lock, after merging).
    fn write_manifest(&mut self) -> Result<(), StoreError> {
        let file = ProjectFile {
            format_version: FORMAT_VERSION,
            name: self.name.clone(),
            labels: self.schema.labels.clone(),
            settings: Settings {
                allow_overlap: self.schema.allow_overlap,
            },
            documents: self.ids.iter().map(|i| i.to_string()).collect(),
        };
        self.schema.validate().map_err(|e| StoreError::Invalid {
            path: self.root.join(MANIFEST),
            msg: format!("would not be valid after merging with other writers: {e}"),
        })?;
        let path = self.root.join(MANIFEST);
        let text = format::to_ron(&file, &path)?;
        write_atomic(&path, text.as_bytes())?;
        self.disk_hash = super::journal::content_hash(text.as_bytes());
        self.base = self.ours();
        Ok(())
    }

    /// Content hash of the manifest as this process last read or wrote it (to tell another
    /// process's change from its own).
    pub fn manifest_hash(&self) -> u64 {
        self.disk_hash
    }

    /// Read and check one document.
    pub fn load_document(&self, id: &DocId) -> Result<Document, StoreError> {
        self.load_document_hashed(id).map(|(d, _)| d)
    }

    /// Read and check one document in this project's layer, with the content hash of the bytes
    /// of the layer's file (`None` when the annotator has no file for it yet).
    pub fn load_document_hashed(&self, id: &DocId) -> Result<(Document, Option<u64>), StoreError> {
        let (main, bytes) = self.read_main(id)?;
        let Some(who) = &self.layer else {
            let doc = main.into_document(&self.text_path(id), id, &self.schema)?;
            return Ok((doc, Some(super::journal::content_hash(&bytes))));
        };
        self.read_layer(main, id, who)
    }

    /// A document's main layer and each of `who`'s layers of it, whatever layer this project
    /// works on (the text is read once); `None` for an annotator with no file for it (they have
    /// not annotated it).
    pub fn load_layers(
        &self,
        id: &DocId,
        who: &[Annotator],
    ) -> Result<(Document, Vec<Option<Document>>), StoreError> {
        let (main, _) = self.read_main(id)?;
        let mut layers = Vec::with_capacity(who.len());
        for a in who {
            layers.push(match self.read_layer(main.clone(), id, a)? {
                (doc, Some(_)) => Some(doc),
                (_, None) => None,
            });
        }
        let doc = main.into_document(&self.text_path(id), id, &self.schema)?;
        Ok((doc, layers))
    }

    /// The document file, unchecked, and its bytes.
    pub(super) fn read_main(&self, id: &DocId) -> Result<(DocumentFile, Vec<u8>), StoreError> {
        let path = self.text_path(id);
        let bytes = read_regular(&path)?;
        Ok((format::parse_ron_bytes(&bytes, &path)?, bytes))
    }

    /// `who`'s layer applied to `main` and the hash of its file, or the blind start without one.
    pub(super) fn read_layer(
        &self,
        main: DocumentFile,
        id: &DocId,
        who: &Annotator,
    ) -> Result<(Document, Option<u64>), StoreError> {
        let dir = layers::layer_dir(&self.root, who);
        layers::check_layer_dirs(&self.root, who)?;
        let path = dir.join(format!("{id}.ron"));
        if fs::symlink_metadata(&path).is_err() {
            let start = layers::blind_start(main);
            return Ok((
                start.into_document(&self.text_path(id), id, &self.schema)?,
                None,
            ));
        }
        let bytes = read_regular(&path)?;
        let layer: LayerFile = format::parse_ron_bytes(&bytes, &path)?;
        let doc = layer.apply(main, &path, id, who, &self.schema)?;
        Ok((doc, Some(super::journal::content_hash(&bytes))))
    }

    /// The bytes a document is saved as in this project's layer (deterministic).
    pub fn document_bytes(&self, doc: &Document) -> Result<String, StoreError> {
        let path = self.document_path(&doc.id);
        match &self.layer {
            None => format::to_ron(&DocumentFile::from_document(doc), &path),
            Some(who) => format::to_ron(&LayerFile::from_document(doc, who), &path),
        }
    }

    /// Save one document (atomically). It must be listed in the project. Returns the bytes
    /// written.
    pub fn save_document(&self, doc: &Document) -> Result<String, StoreError> {
        match &self.layer {
            None => self.check_documents_folder()?,
            Some(who) => self.make_layer_dir(who)?,
        }
        self.write_document(doc, SyncFolder::Now)
    }

    /// Create `layers/<who>/` if needed, refusing links on the way.
    pub(super) fn make_layer_dir(&self, who: &Annotator) -> Result<(), StoreError> {
        for dir in [
            self.root.join(layers::LAYERS),
            layers::layer_dir(&self.root, who),
        ] {
            layers::check_real_dir(&dir)?;
            match fs::create_dir(&dir) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(StoreError::io("create", &dir, e))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Write a listed document's file in this project's layer (the folder is checked by the
    /// caller).
    fn write_document(&self, doc: &Document, sync: SyncFolder) -> Result<String, StoreError> {
        let path = self.document_path(&doc.id);
        if !self.listed.contains(&doc.id) {
            return Err(StoreError::Invalid {
                path,
                msg: "is not listed in the project".into(),
            });
        }
        let bytes = self.document_bytes(doc)?;
        write_atomic_then(&path, bytes.as_bytes(), sync)?;
        Ok(bytes)
    }

    /// Write a new document's own file (text and main layer), whatever layer this project works
    /// on.
    fn write_main(&self, doc: &Document, sync: SyncFolder) -> Result<String, StoreError> {
        let path = self.text_path(&doc.id);
        let bytes = format::to_ron(&DocumentFile::from_document(doc), &path)?;
        write_atomic_then(&path, bytes.as_bytes(), sync)?;
        Ok(bytes)
    }

    /// The documents folder must be a real folder: through a link, documents would be written
    /// outside the project.
    fn check_documents_folder(&self) -> Result<(), StoreError> {
        layers::real_folder(&self.root.join(DOCS), "documents")
    }

    /// A fresh id for a new document (see [`IdSource`]): `NNNN-slug`, where NNNN is its position
    /// in the project; unique among the project's ids, files on disk and `pending` (ids about to
    /// be added).
    pub fn new_id(&self, source: &IdSource, pending: &HashSet<DocId>) -> DocId {
        source.pick(self.ids.len() + pending.len() + 1, |id| {
            !self.listed.contains(id) && !pending.contains(id) && !self.text_path(id).exists()
        })
    }

    /// A label that another process removed meanwhile but that these documents use comes back
    /// (else their files would name a label the project does not define), with a note.
    fn keep_labels_in_use(&mut self, docs: &[Document]) -> Result<(), StoreError> {
        let mut missing: Vec<&str> = Vec::new();
        for s in docs.iter().flat_map(|d| d.spans()) {
            if !self.schema.contains(&s.label) && !missing.contains(&s.label.as_str()) {
                missing.push(&s.label);
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        self.schema = self
            .schema
            .with_labels(&missing)
            .map_err(|e| StoreError::Invalid {
                path: self.root.join(MANIFEST),
                msg: e.to_string(),
            })?;
        self.merge_notes.push(format!(
            "another process removed the label(s) {} meanwhile; they were kept, since new documents use them",
            missing.join(", ")
        ));
        Ok(())
    }

    /// List documents whose files are already in `documents/` (see `tagwright check --repair`),
    /// under the lock, merged with what other processes wrote.
    pub fn adopt(&mut self, ids: Vec<DocId>) -> Result<(), StoreError> {
        let _lock = manifest::lock(&self.root)?;
        self.merge_from_disk()?;
        for id in ids {
            if self.listed.insert(id.clone()) {
                self.ids.push(id);
            }
        }
        self.write_manifest()
    }

    /// Add documents: under the project's lock, take in what other processes added, give a new
    /// id to any document whose id another process took meanwhile (its `id` is changed in place),
    /// write each document file, then the merged manifest once. Returns the content hash of each
    /// document file written, in order.
    pub fn add_documents(&mut self, docs: &mut [Document]) -> Result<Vec<u64>, StoreError> {
        let _lock = manifest::lock(&self.root)?;
        self.merge_from_disk()?;
        self.keep_labels_in_use(docs)?;
        let mut pending = HashSet::with_capacity(docs.len());
        for d in docs.iter_mut() {
            let taken = self.listed.contains(&d.id)
                || pending.contains(&d.id)
                || self.text_path(&d.id).exists();
            if taken {
                d.id = self.new_id(&IdSource::Given(d.id.to_string()), &pending);
            }
            pending.insert(d.id.clone());
        }
        let before = self.ids.len();
        self.ids.extend(docs.iter().map(|d| d.id.clone()));
        self.listed.extend(docs.iter().map(|d| d.id.clone()));
        // Many new files are made durable all at once (one flush of the file system), before the
        // manifest lists them; a few are synced one by one.
        let sync = if docs.len() > 16 {
            SyncFolder::Later
        } else {
            SyncFolder::Now
        };
        let written = self
            .check_documents_folder()
            .and_then(|()| {
                docs.iter()
                    .map(|d| match &self.layer {
                        None => self.write_main(d, sync),
                        // An annotator's new document: its text (and pending suggestions) for
                        // everyone, its work in their layer only (written below).
                        Some(_) => {
                            let path = self.text_path(&d.id);
                            let main = layers::without_work(d, &path, &self.schema)?;
                            self.write_main(&main, sync)
                        }
                    })
                    .map(|r| r.map(|b| super::journal::content_hash(b.as_bytes())))
                    .collect::<Result<Vec<u64>, _>>()
            })
            .and_then(|hashes| {
                let dir = self.root.join(DOCS);
                if sync == SyncFolder::Later {
                    super::atomic::sync_folder(&dir)
                        .map_err(|e| StoreError::io("write", &dir, e))?;
                }
                Ok(hashes)
            })
            .and_then(|hashes| self.write_manifest().map(|_| hashes));
        if written.is_err() {
            // Nothing half-added stays behind: the files this call wrote (their ids were free
            // under the lock, so they are ours) go, and the ids are given back.
            for id in self.ids.drain(before..) {
                let _ = fs::remove_file(self.root.join(DOCS).join(format!("{id}.ron")));
                self.listed.remove(&id);
            }
        }
        let written = match (&self.layer, written) {
            // The documents are in the project now; the annotator's work goes into their layer,
            // and the hashes the caller keeps are of the files this layer reads: its own. (A
            // layer that fails to write leaves the documents listed, as they are for everyone.)
            (Some(who), Ok(_)) => docs
                .iter()
                .map(|d| {
                    let b = self.save_layer(d, who)?;
                    Ok(super::journal::content_hash(b.as_bytes()))
                })
                .collect(),
            (_, w) => w,
        };
        if written.is_ok() {
            super::index::record(self, docs.iter());
        }
        written
    }

    /// Read files in any import format for adding to this project (detected from extension and
    /// content unless `format` is given): everything is read and checked, nothing is written.
    /// Labels the project does not define are an error, unless `add_labels`, which adds them to
    /// the batch's schema. The documents get their ids here; those that came without suggestions
    /// are marked for pre-annotation (against [`ImportBatch::schema`]) by the caller, who then
    /// adds the batch with [`Project::add_import`].
    pub fn read_import(
        &self,
        paths: &[PathBuf],
        opts: impl Into<super::formats::ImportOptions>,
        add_labels: bool,
    ) -> Result<ImportBatch, StoreError> {
        let opts: super::formats::ImportOptions = opts.into();
        let mut imported = Vec::new();
        let mut warnings = Vec::new();
        for p in paths {
            let (docs, w) = super::formats::import_path(p, opts)?;
            warnings.extend(w);
            imported.extend(docs.into_iter().map(|d| (p.clone(), d)));
        }
        let mut known: HashSet<&str> = self.schema.labels.iter().map(|l| l.name.as_str()).collect();
        let mut new_labels: Vec<(&str, &PathBuf)> = Vec::new();
        for (path, d) in &imported {
            if d.text.trim().is_empty() {
                return Err(StoreError::Import(import::ImportError::Empty {
                    path: path.clone(),
                }));
            }
            let layers = d.layers.iter().flat_map(|(_, l)| l);
            for s in d.spans.iter().chain(layers) {
                if !known.insert(&s.label) {
                    continue;
                }
                if !add_labels {
                    return Err(StoreError::Invalid {
                        path: path.clone(),
                        msg: format!(
                            "uses the label {:?}, which the project does not define; add it in the window, or import with --add-labels",
                            crate::model::shown_name(&s.label)
                        ),
                    });
                }
                new_labels.push((&s.label, path));
            }
        }
        let names: Vec<&str> = new_labels.iter().map(|(l, _)| *l).collect();
        let schema = self.schema.with_labels(&names).map_err(|e| {
            // Name the file of the label the schema refused (else the first new label's).
            let bad = e.label();
            let path = new_labels
                .iter()
                .find(|(l, _)| Some(*l) == bad)
                .or(new_labels.first())
                .map_or_else(|| self.root.join(MANIFEST), |(_, p)| (*p).clone());
            StoreError::Invalid {
                path,
                msg: e.to_string(),
            }
        })?;
        warnings.extend(
            names
                .iter()
                .map(|l| format!("added the label {l} to the project")),
        );
        let mut docs = Vec::with_capacity(imported.len());
        let mut pending: HashSet<DocId> = HashSet::with_capacity(imported.len());
        for (path, d) in imported {
            let id = self.new_id(&d.id_source(), &pending);
            pending.insert(id.clone());
            let doc = d
                .into_pending_as(id, &schema)
                .map_err(|source| StoreError::ImportDoc {
                    path: path.clone(),
                    source,
                })?;
            docs.push(doc);
        }
        Ok(ImportBatch {
            docs,
            schema,
            warnings,
        })
    }

    /// Add a batch read with [`Project::read_import`] (see [`Project::add_documents`]): the
    /// project takes the batch's schema, unless adding fails. Returns the new documents' ids
    /// (another process may have taken some meanwhile) and the importers' warnings.
    pub fn add_import(
        &mut self,
        batch: ImportBatch,
    ) -> Result<(Vec<DocId>, Vec<String>), StoreError> {
        // A team's file: the annotators' versions go into their layers, the document itself gets
        // only the text and its pending suggestions.
        let mut layers = Vec::with_capacity(batch.docs.len());
        let mut docs: Vec<Document> = Vec::with_capacity(batch.docs.len());
        for p in batch.docs {
            docs.push(match p.layers.is_empty() {
                true => p.doc,
                false => layers::without_work(&p.doc, &self.text_path(&p.doc.id), &batch.schema)?,
            });
            layers.push(p.layers);
        }
        let old = std::mem::replace(&mut self.schema, batch.schema);
        if let Err(e) = self.add_documents(&mut docs) {
            self.schema = old;
            return Err(e);
        }
        let mut warnings = batch.warnings;
        let mut saved = 0;
        for (d, versions) in docs.iter().zip(layers) {
            for (who, mut version) in versions {
                // The id another process may have made us take.
                version.id = d.id.clone();
                self.save_layer(&version, &who)?;
                saved += 1;
            }
        }
        if saved > 0 {
            warnings.push(format!("wrote {saved} annotators' layers"));
        }
        Ok((docs.into_iter().map(|d| d.id).collect(), warnings))
    }

    /// Read every document in parallel (one thread per core, each reading a contiguous part of
    /// the project in order) and fold each part into its own `T` with `add`; returns the parts'
    /// results in project order, for the caller to merge. Fails on the first document that does
    /// not read. The documents are never all in memory at once.
    pub fn fold_documents<T: Default + Send>(
        &self,
        add: impl Fn(&mut T, &Document) + Sync,
    ) -> Result<Vec<T>, StoreError> {
        self.in_parts(1, |ids| {
            let mut acc = T::default();
            for id in ids {
                add(&mut acc, &self.load_document(id)?);
            }
            Ok(acc)
        })
    }

    /// Run `work` on contiguous parts of the project's ids, `per_core` threads per core, and
    /// give the parts' results in project order; the first error wins. More threads than cores
    /// help where reading waits on a cold disk rather than on the processor.
    pub fn in_parts<T: Send>(
        &self,
        per_core: usize,
        work: impl Fn(&[DocId]) -> Result<T, StoreError> + Sync,
    ) -> Result<Vec<T>, StoreError> {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = self.ids.len().div_ceil(cores * per_core.max(1)).max(1);
        let work = &work;
        let parts: Vec<Result<T, StoreError>> = std::thread::scope(|s| {
            let handles: Vec<_> = self
                .ids
                .chunks(chunk)
                .map(|ids| s.spawn(move || work(ids)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        Err(StoreError::Invalid {
                            path: self.root.clone(),
                            msg: "a worker thread failed while reading documents".into(),
                        })
                    })
                })
                .collect()
        });
        parts.into_iter().collect()
    }
}

/// The bytes of a project file that is a regular file: a symlink could point anywhere, and a
/// project from someone else must not read outside itself.
fn read_regular(path: &Path) -> Result<Vec<u8>, StoreError> {
    if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(StoreError::Invalid {
            path: path.to_path_buf(),
            msg: "is a symbolic link; Tagwright only reads regular files inside the project".into(),
        });
    }
    format::read_bounded(path)
}
