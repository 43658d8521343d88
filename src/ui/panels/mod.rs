//! The panels around the article. Each reads the session and pushes commands.

pub mod adjudication;
pub mod article;
pub mod documents;
pub mod inspector;
pub mod label_editor;
pub mod labels;
pub mod status_bar;
pub mod suggestions;
