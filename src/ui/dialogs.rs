//! Native file dialogs, off the UI thread. `rfd` blocks until the person answers, so each dialog
//! runs on its own thread and sends its answer back over a channel. Without a desktop portal, rfd
//! answers `None` at once: a `None` that comes back faster than a person could click is taken to
//! mean "no dialog available", and the window asks for a typed path instead.

use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogKind {
    OpenProject,
    Import,
    SaveAs,
}

impl DialogKind {
    pub fn prompt(self) -> &'static str {
        match self {
            DialogKind::OpenProject => "Project folder to open",
            DialogKind::Import => "Article files to import (separate several with ';')",
            DialogKind::SaveAs => "New folder to save the project in",
        }
    }
}

pub struct DialogAnswer {
    pub kind: DialogKind,
    pub paths: Option<Vec<PathBuf>>,
    pub took: Duration,
}

pub struct Dialogs {
    tx: Sender<DialogAnswer>,
    rx: Receiver<DialogAnswer>,
    pub open: Option<DialogKind>,
}

impl Default for Dialogs {
    fn default() -> Self {
        let (tx, rx) = channel();
        Dialogs { tx, rx, open: None }
    }
}

/// Faster than this, a `None` means no dialog could be shown.
const NO_DIALOG: Duration = Duration::from_millis(400);

impl Dialogs {
    /// Start a native dialog on a thread (no-op while one is open).
    pub fn start(&mut self, kind: DialogKind, start_dir: Option<PathBuf>, ctx: &egui::Context) {
        if self.open.is_some() {
            return;
        }
        self.open = Some(kind);
        let tx = self.tx.clone();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let t = Instant::now();
            let mut d = rfd::FileDialog::new();
            if let Some(dir) = start_dir {
                d = d.set_directory(dir);
            }
            let paths = match kind {
                DialogKind::OpenProject => d
                    .set_title("Open a Tagwright project")
                    .pick_folder()
                    .map(|p| vec![p]),
                DialogKind::Import => d
                    .set_title("Import articles")
                    .add_filter("Articles", &["txt", "md"])
                    .pick_files(),
                DialogKind::SaveAs => d
                    .set_title("Save the project in a new folder")
                    .pick_folder()
                    .map(|p| vec![p]),
            };
            let _ = tx.send(DialogAnswer {
                kind,
                paths,
                took: t.elapsed(),
            });
            ctx.request_repaint();
        });
    }

    /// An answer, if one arrived. `Err(kind)` means no dialog could be shown.
    pub fn poll(&mut self) -> Option<Result<(DialogKind, Vec<PathBuf>), DialogKind>> {
        let a = self.rx.try_recv().ok()?;
        self.open = None;
        match a.paths {
            Some(p) if !p.is_empty() => Some(Ok((a.kind, p))),
            _ if a.took < NO_DIALOG => Some(Err(a.kind)),
            _ => None,
        }
    }
}
