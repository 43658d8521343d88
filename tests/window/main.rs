//! The window's tests, in one binary: kittest drives the real window headless through what a
//! person sees (labels, keys, clicks), and the image snapshot (with the `snapshot` feature).

mod flow;
mod snapshot;
mod team;
mod ui;
