//! The menu bar, built from the command enum: each [`Menu`] lists its commands in the order of
//! [`Command::ALL`], with their first shortcut and help text. File also has Recent projects.

use super::keys::shortcut_text;
use crate::session::{Command, Menu, Session};
use egui::Ui;

pub fn show(ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
    egui::MenuBar::new().ui(ui, |ui| {
        for &menu in Menu::ALL {
            ui.menu_button(menu.name(), |ui| {
                for cmd in Command::ALL.iter().filter(|c| c.menu() == Some(menu)) {
                    item(ui, session, cmd, out);
                }
                if menu == Menu::File {
                    recent(ui, session, out);
                }
            });
        }
    });
}

fn item(ui: &mut Ui, session: &Session, cmd: &Command, out: &mut Vec<Command>) {
    let sc = shortcut_text(ui.ctx(), cmd);
    // A setting that is on shows as selected.
    let on = session.is_on(cmd).unwrap_or(false);
    if ui
        .add(egui::Button::new(cmd.name()).shortcut_text(sc).selected(on))
        .on_hover_text(cmd.help())
        .clicked()
    {
        out.push(cmd.clone());
        ui.close();
    }
}

fn recent(ui: &mut Ui, session: &Session, out: &mut Vec<Command>) {
    ui.menu_button("Recent", |ui| {
        let recent = &session.settings().recent;
        if recent.is_empty() {
            ui.label("No recent projects");
        }
        for p in recent {
            if ui.button(p.display().to_string()).clicked() {
                out.push(Command::OpenPath(p.clone()));
                ui.close();
            }
        }
    });
}
