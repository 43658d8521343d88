//! A plug-in recognizer: an external command that speaks the JSONL of `tagwright suggest`.
//!
//! The command is started once, on first use, and kept running. For each text it gets one line
//! `{"id": N, "text": "..."}` on its standard input and must answer with one line
//! `{"id": N, "spans": [{"start": S, "end": E, "label": "L", "score": 0.9}, ...]}` on its
//! standard output (`score` optional, 0.5 when missing); other lines are passed over until the
//! timeout (the first answer may take `startup` longer, while the command starts). Offsets are Unicode code points,
//! end-exclusive, like everywhere in Tagwright (Python's `str` indices). Its labels are mapped
//! through the configured label map (`PERSON` → `PER`); its suggestions carry its own name as
//! their source.
//!
//! Nothing it says is trusted: a span outside the text, empty, or reversed is dropped; one that
//! splits a character (a grapheme cluster) is widened to whole characters and then, like a
//! person's selection, to whole tokens; one on white space only is dropped. A command that does
//! not answer within the timeout (saying so when it printed lines that are not the answer), exits,
//! or cannot be started is stopped and not used again in this process; each problem is kept, in a
//! sentence, for [`Recognizer::problem`]. The other recognizers are unaffected either way.
//!
//! Which commands run is the person's configuration (see `session::plugins`), never a project's.

use super::{Analysis, Recognizer};
use crate::model::Suggestion;
use crate::text::{offsets, CharIdx, CharSpan, Tokens};
use std::collections::{BTreeMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How a plug-in is run.
#[derive(Clone, Debug, PartialEq)]
pub struct PluginSpec {
    /// Its name: the `source` of its suggestions.
    pub name: String,
    /// Program and arguments.
    pub command: Vec<String>,
    /// Its labels → the project's (`PERSON` → `PER`); a label not in the map is kept as it is.
    pub labels: BTreeMap<String, String>,
    pub timeout: Duration,
    /// More time for the first answer, while the command starts (loads its model).
    pub startup: Duration,
    /// Priority against the built-in recognizers (the tagger has 2).
    pub priority: u8,
}

/// The longest answer line read (a hostile plug-in cannot fill the memory).
const MAX_LINE: usize = 16 * 1024 * 1024;

struct Running {
    child: Child,
    /// Requests go through a writer thread: a command that stops reading can then block only
    /// that thread, never the caller past its timeout.
    requests: Sender<String>,
    lines: Receiver<std::io::Result<String>>,
    /// No answer came yet (the first may wait for the command to start).
    fresh: bool,
    /// The last lines it wrote to standard error, for the message when it fails.
    stderr: Arc<Mutex<VecDeque<String>>>,
}

#[derive(Default)]
struct State {
    running: Option<Running>,
    /// Why it is no longer used.
    stopped: Option<String>,
    next_id: u64,
}

pub struct PluginRecognizer {
    spec: PluginSpec,
    /// Held while a text is with the command (one at a time).
    state: Mutex<State>,
    /// The latest problem, until taken: apart from `state`, so asking for it never waits for a
    /// command that is thinking.
    problem: Mutex<Option<String>>,
}

/// One answer, as it must come.
#[derive(serde::Deserialize)]
struct Answer {
    id: serde_json::Value,
    spans: Vec<SpanIn>,
}

#[derive(serde::Deserialize)]
struct SpanIn {
    start: i64,
    end: i64,
    label: String,
    #[serde(default)]
    score: Option<f64>,
}

impl PluginRecognizer {
    pub fn new(spec: PluginSpec) -> PluginRecognizer {
        PluginRecognizer {
            spec,
            state: Mutex::new(State::default()),
            problem: Mutex::new(None),
        }
    }

    fn report(&self, why: String) {
        if let Ok(mut p) = self.problem.lock() {
            *p = Some(why);
        }
    }

    fn describe(&self) -> String {
        format!(
            "The recognizer {:?} ({})",
            self.spec.name,
            self.spec.command.join(" ")
        )
    }

    fn start(&self) -> Result<Running, String> {
        let (program, args) = self
            .spec
            .command
            .split_first()
            .ok_or_else(|| "has no command".to_string())?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not be started: {e}"))?;
        let stdin = child.stdin.take().ok_or("has no standard input")?;
        let stdout = child.stdout.take().ok_or("has no standard output")?;
        let stderr_pipe = child.stderr.take();
        let (requests, to_write) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || write_requests(stdin, to_write));
        // Bounded: a command that writes without end waits for us instead of filling memory.
        let (tx, lines) = std::sync::mpsc::sync_channel(16);
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut line = String::new();
                let got = (&mut r).take(MAX_LINE as u64).read_line(&mut line);
                let end = matches!(got, Ok(0)) || got.is_err();
                if tx.send(got.map(|_| line)).is_err() || end {
                    return;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(VecDeque::new()));
        if let Some(pipe) = stderr_pipe {
            let keep = stderr.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                    if let Ok(mut k) = keep.lock() {
                        if k.len() == 3 {
                            k.pop_front();
                        }
                        k.push_back(line);
                    }
                }
            });
        }
        Ok(Running {
            child,
            requests,
            lines,
            fresh: true,
            stderr,
        })
    }

    /// Ask the running command about `text`: its answer. Lines that answer an earlier question
    /// (after a timeout) or are not JSON (a library printing a warning) are passed over until the
    /// deadline, so one stray line cannot put answers out of step with questions.
    fn ask(&self, st: &mut State, text: &str) -> Result<Answer, String> {
        if st.running.is_none() {
            st.running = Some(self.start()?);
        }
        st.next_id += 1;
        let id = st.next_id;
        let run = st.running.as_mut().ok_or("is not running")?;
        let request = serde_json::json!({"id": id, "text": text}).to_string();
        run.requests
            .send(request)
            .map_err(|_| "stopped reading its input".to_string())?;
        let wait = self.spec.timeout
            + if run.fresh {
                self.spec.startup
            } else {
                Duration::ZERO
            };
        let deadline = std::time::Instant::now() + wait;
        let mut garbage: Option<String> = None;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            let line = match run.lines.recv_timeout(left) {
                Ok(Ok(line)) if line.is_empty() => return Err("exited".into()),
                Ok(Ok(line)) => line,
                Ok(Err(e)) => return Err(format!("could not be read: {e}")),
                Err(RecvTimeoutError::Timeout) => {
                    return Err(match garbage {
                        Some(e) => {
                            format!("answered with lines that are not the expected JSON ({e})")
                        }
                        None => format!("did not answer within {:.0} s", wait.as_secs_f64()),
                    })
                }
                Err(RecvTimeoutError::Disconnected) => return Err("exited".into()),
            };
            match serde_json::from_str::<Answer>(line.trim()) {
                Ok(a) if a.id == serde_json::json!(id) => {
                    run.fresh = false;
                    return Ok(a);
                }
                Ok(_) => {}
                Err(e) => garbage = Some(e.to_string()),
            }
        }
    }

    /// Stop the command for good, with the reason in a sentence.
    fn stop(&self, st: &mut State, why: String) {
        let mut last = String::new();
        if let Some(mut run) = st.running.take() {
            let _ = run.child.kill();
            let _ = run.child.wait();
            if let Ok(k) = run.stderr.lock() {
                if let Some(l) = k.back() {
                    last = format!(" (it said: {})", l.chars().take(200).collect::<String>());
                }
            }
        }
        let msg = format!(
            "{} {why}{last}; it is not used again until Tagwright restarts, and the other recognizers keep working",
            self.describe()
        );
        st.stopped = Some(msg.clone());
        self.report(msg);
    }

    /// Turn an answer into suggestions on `a`'s text, dropping what is wrong (and saying so).
    fn suggestions(&self, ans: Answer, a: &Analysis) -> (Vec<Suggestion>, Option<String>) {
        let n = a.chars.len() as i64;
        let tokens = Tokens::from_spans(a.tokens.iter().map(|t| t.span).collect());
        let mut out = Vec::new();
        let mut bad = 0;
        for s in ans.spans {
            if !(0 <= s.start && s.start < s.end && s.end <= n) || s.label.trim().is_empty() {
                bad += 1;
                continue;
            }
            let raw = CharSpan {
                start: CharIdx(s.start as usize),
                end: CharIdx(s.end as usize),
            };
            let whole = offsets::snap_to_clusters(a.text, raw).unwrap_or(raw);
            // Only white space: no token to suggest.
            let first = a.tokens.partition_point(|t| t.span.end <= whole.start);
            if a.tokens
                .get(first)
                .is_none_or(|t| t.span.start >= whole.end)
            {
                bad += 1;
                continue;
            }
            let label = self.spec.labels.get(&s.label).unwrap_or(&s.label).clone();
            out.push(Suggestion {
                span: tokens.snap(whole),
                label,
                score: s.score.unwrap_or(0.5).clamp(0.0, 1.0) as f32,
                source: self.spec.name.clone(),
            });
        }
        let problem = (bad > 0).then(|| {
            format!("gave {bad} span(s) outside the text, on white space only, empty or without a label; they were dropped")
        });
        (out, problem)
    }
}

/// Write each request as a line until the command stops reading or the recognizer is dropped.
fn write_requests(mut stdin: ChildStdin, requests: Receiver<String>) {
    for r in requests {
        if writeln!(stdin, "{r}").and_then(|()| stdin.flush()).is_err() {
            return;
        }
    }
}

impl Recognizer for PluginRecognizer {
    fn name(&self) -> &str {
        &self.spec.name
    }
    fn priority(&self) -> u8 {
        self.spec.priority
    }
    fn recognize(&self, a: &Analysis) -> Vec<Suggestion> {
        let Ok(mut st) = self.state.lock() else {
            return Vec::new();
        };
        if st.stopped.is_some() {
            return Vec::new();
        }
        match self.ask(&mut st, a.text) {
            Ok(ans) => {
                let (s, problem) = self.suggestions(ans, a);
                if let Some(why) = problem {
                    self.report(format!("{} {why}", self.describe()));
                }
                s
            }
            Err(why) => {
                self.stop(&mut st, why);
                Vec::new()
            }
        }
    }
    fn problem(&self) -> Option<String> {
        self.problem.lock().ok()?.take()
    }
}

impl Drop for PluginRecognizer {
    fn drop(&mut self) {
        if let Ok(st) = self.state.get_mut() {
            if let Some(mut run) = st.running.take() {
                let _ = run.child.kill();
                let _ = run.child.wait();
            }
        }
    }
}
