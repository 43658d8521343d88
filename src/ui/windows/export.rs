//! The export form: format, where to write, which documents, and the CoNLL tag scheme.

use crate::model::Scheme;
use crate::session::{Command, ExportRequest};
use crate::store::formats::Format;
use std::path::{Path, PathBuf};

pub struct ExportForm {
    format: Format,
    path: String,
    only_done: bool,
    include_suggestions: bool,
    include_set_aside: bool,
    scheme: Scheme,
}

impl ExportForm {
    /// A form that writes beside the project folder, never inside it (an export there is
    /// refused), or to the temporary folder for a project without one.
    pub fn beside(root: Option<&Path>) -> ExportForm {
        let dir = root
            .and_then(Path::parent)
            .filter(|p| !p.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(std::env::temp_dir);
        let stem = root.and_then(Path::file_name).map_or("export".into(), |n| {
            format!("{}-export", n.to_string_lossy())
        });
        ExportForm {
            format: Format::Jsonl,
            path: dir.join(format!("{stem}.jsonl")).display().to_string(),
            only_done: false,
            include_suggestions: false,
            include_set_aside: false,
            scheme: Scheme::Iob2,
        }
    }

    /// Draw the form; `false` once it is done (exported or cancelled).
    pub fn show(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) -> bool {
        let mut keep = true;
        let mut go = false;
        crate::ui::window("Export dataset", ctx)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::ComboBox::from_label("format")
                    .selected_text(self.format.name())
                    .show_ui(ui, |ui| {
                        for f in Format::EXPORTS {
                            if ui
                                .selectable_value(&mut self.format, *f, f.name())
                                .changed()
                            {
                                self.path = with_extension(&self.path, f.extension());
                            }
                        }
                    });
                ui.label(if self.format.writes_folder() {
                    "Folder:"
                } else {
                    "File:"
                });
                ui.add(
                    egui::TextEdit::singleline(&mut self.path)
                        .desired_width(420.0)
                        .id(egui::Id::unique("tagwright-export-path")),
                );
                ui.checkbox(&mut self.only_done, "Only documents marked done");
                ui.checkbox(&mut self.include_suggestions, "Include pending suggestions");
                ui.checkbox(
                    &mut self.include_set_aside,
                    "Include flagged and skipped documents",
                );
                if self.format == Format::Conll {
                    ui.horizontal(|ui| {
                        ui.label("Tags:");
                        ui.selectable_value(&mut self.scheme, Scheme::Iob1, "IOB1");
                        ui.selectable_value(&mut self.scheme, Scheme::Iob2, "IOB2");
                        ui.selectable_value(&mut self.scheme, Scheme::Bilou, "BILOU");
                    });
                }
                ui.horizontal(|ui| {
                    go = ui.button("Export").clicked();
                    if ui.button("Cancel").clicked() {
                        keep = false;
                    }
                });
            });
        if go && !self.path.trim().is_empty() {
            out.push(Command::ExportTo(ExportRequest {
                format: self.format,
                path: PathBuf::from(self.path.trim()),
                only_done: self.only_done,
                include_suggestions: self.include_suggestions,
                include_set_aside: self.include_set_aside,
                scheme: self.scheme,
            }));
            return false;
        }
        keep
    }
}

/// `path` with its extension replaced (or removed, for formats that write a folder).
fn with_extension(path: &str, ext: &str) -> String {
    let stem = PathBuf::from(path).with_extension("");
    if ext.is_empty() {
        stem.display().to_string()
    } else {
        stem.with_extension(ext).display().to_string()
    }
}
