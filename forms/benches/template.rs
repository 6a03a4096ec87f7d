//! Benchmark of the template engine: generate a prefilled template, read and
//! validate a filled one, against Python's openpyxl doing the same jobs in the
//! same run; peak heap while reading a 5 MB upload and while refusing a zip bomb.
//!
//!     cargo bench -p forms --bench template      (or ./portal bench)
//!
//! Prints figures; asserts nothing. Targets (issue 3): generation < 10 ms,
//! read + validate < 20 ms, at least 20× faster than openpyxl.

use forms::call::{Call, FieldType, Kind, Lang};
use forms::template::{self, Prefill};
use forms::value::Value;
use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts live heap bytes and their peak, to report memory without an external tool.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak heap above what was live before `job` ran.
fn peak_during<T>(job: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = job();
    (out, PEAK.load(Ordering::Relaxed) - base)
}

fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn time_ms(runs: usize, mut job: impl FnMut()) -> Vec<f64> {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            job();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect()
}

/// What the portal knows before the person opens the file: kind, location, contact.
fn prefill(call: &Call) -> Prefill {
    let mut p = Prefill::new();
    p.insert("municipality".into(), Value::Municipality("016024".into()));
    p.insert("address".into(), Value::Text("Via Grumello 57".into()));
    p.insert("postcode".into(), Value::Text("24127".into()));
    p.insert("latitude".into(), Value::Coordinate(45.6905));
    p.insert("longitude".into(), Value::Coordinate(9.6410));
    p.insert("contact_name".into(), Value::Text("Maria Rossi".into()));
    p.insert(
        "contact_email".into(),
        Value::Text("maria.rossi@example.it".into()),
    );
    p.insert("ownership".into(), Value::Choice("private".into()));
    assert!(p.keys().all(|k| call.field(k).is_some()));
    p
}

/// A complete, valid filling, as in the round-trip tests.
fn filled(call: &Call) -> Vec<u8> {
    let mut values = prefill(call);
    for f in call.fields_for(Kind::Settlement) {
        if values.contains_key(&f.id) {
            continue;
        }
        let v = match f.kind {
            FieldType::Text | FieldType::LongText => {
                Value::Text(format!("Testo di prova per {}", f.id))
            }
            FieldType::Integer => Value::Integer(3),
            FieldType::Decimal => Value::Decimal(f.max.unwrap_or(5000.0).min(5000.0) / 2.0),
            FieldType::Date => Value::Date(chrono::NaiveDate::from_ymd_opt(2027, 9, 1).unwrap()),
            FieldType::Enum => Value::Choice(call.options(f)[0].id.clone()),
            FieldType::MultiEnum => Value::Choices(vec![call.options(f)[0].id.clone()]),
            FieldType::Cadastral => {
                Value::Cadastral(forms::value::cadastral("12/345, 346").unwrap())
            }
            FieldType::AtecoList => Value::Ateco(vec!["C".into()]),
            FieldType::Url => Value::Text("https://example.it".into()),
            FieldType::Phone => Value::Text("+39 035 399111".into()),
            _ => continue,
        };
        values.insert(f.id.clone(), v);
    }
    values.insert("km_motorway".into(), Value::Decimal(4.5));
    template::write(call, Kind::Settlement, Lang::It, &values).unwrap()
}

/// The template described for the Python baseline.
fn spec_for_python(call: &Call) -> serde_json::Value {
    let lang = Lang::It;
    let fields: Vec<_> = call
        .fields_for(Kind::Settlement)
        .map(|f| {
            let list = match f.kind {
                FieldType::Enum => f.options.clone(),
                FieldType::Municipality => Some("#municipality".into()),
                _ => None,
            };
            let kind = format!("{:?}", f.kind).to_lowercase();
            let mark = if f.required { "M" } else { "o" };
            json!({ "id": f.id, "label": f.label.it, "help": f.help.it, "unit": call.unit(f, lang), "mark": mark, "type": kind, "list": list })
        })
        .collect();
    let enums: serde_json::Map<_, _> = call
        .enums
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                json!(v.iter().map(|o| o.it.clone()).collect::<Vec<_>>()),
            )
        })
        .collect();
    let prefill: serde_json::Map<_, _> = prefill(call)
        .iter()
        .map(|(k, v)| {
            let cell = template::to_cell(call, call.field(k).unwrap(), v, lang).unwrap();
            let j = match cell {
                forms::Cell::Number(n) => json!(n),
                other => json!(forms::value::cell_text(&other)),
            };
            (k.clone(), j)
        })
        .collect();
    let instructions: Vec<_> = forms::texts::template_instructions("it")
        .unwrap()
        .split("\n\n")
        .collect();
    json!({
        "marker": template::layout::Meta::for_template(call, Kind::Settlement, lang).to_marker(),
        "fields": fields,
        "enums": enums,
        "municipalities": forms::reference::Municipalities::get().all().iter().map(|m| m.list_label()).collect::<Vec<_>>(),
        "prefill": prefill,
        "instructions": instructions,
    })
}

fn zip_bomb() -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    out.start_file("[Content_Types].xml", options).unwrap();
    out.write_all(b"<Types/>").unwrap();
    out.start_file("xl/workbook.xml", options).unwrap();
    out.write_all(b"<workbook/>").unwrap();
    out.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..1024 {
        out.write_all(&zeros).unwrap(); // 1 GiB once unpacked
    }
    out.finish().unwrap().into_inner()
}

fn python_has_openpyxl() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import openpyxl"])
        .status()
        .is_ok_and(|s| s.success())
}

fn main() {
    let call = Call::embedded();
    let prefill = prefill(call);
    let filled = filled(call);
    let check = forms::check_file(call, &filled, Some(Kind::Settlement));
    assert!(check.is_accepted(), "{}", check.to_text(call, Lang::En));
    // Warm the embedded lists once, as a running server would have.
    let _ = template::write(call, Kind::Settlement, Lang::It, &prefill).unwrap();

    let runs = 200;
    let gen = median_ms(time_ms(runs, || {
        template::write(call, Kind::Settlement, Lang::It, &prefill).unwrap();
    }));
    let read = median_ms(time_ms(runs, || {
        assert!(forms::check_file(call, &filled, Some(Kind::Settlement)).is_accepted());
    }));
    let template_size = template::write(call, Kind::Settlement, Lang::It, &prefill)
        .unwrap()
        .len();
    println!(
        "template engine, kind a, {} fields, template {} bytes, {runs} runs each",
        call.fields_for(Kind::Settlement).count(),
        template_size
    );
    println!("  generate prefilled template   median {gen:8.2} ms   (target < 10 ms)");
    println!("  read + validate filled file   median {read:8.2} ms   (target < 20 ms)");

    if python_has_openpyxl() {
        let dir = std::env::temp_dir().join(format!("forms-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("spec.json"), spec_for_python(call).to_string()).unwrap();
        std::fs::write(dir.join("filled.xlsx"), &filled).unwrap();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/openpyxl_baseline.py");
        let out = std::process::Command::new("python3")
            .arg(script)
            .arg(dir.join("spec.json"))
            .arg(dir.join("filled.xlsx"))
            .arg("20")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let py: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let samples = |k: &str| {
            py[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect::<Vec<_>>()
        };
        let (py_gen, py_read) = (
            median_ms(samples("generate_ms")),
            median_ms(samples("read_ms")),
        );
        println!(
            "  openpyxl generate             median {py_gen:8.2} ms   ratio {:6.1}× (target ≥ 20×)",
            py_gen / gen
        );
        println!("  openpyxl read (no validation) median {py_read:8.2} ms   ratio {:6.1}× (target ≥ 20×)", py_read / read);
        std::fs::remove_dir_all(&dir).ok();
    } else {
        println!("  openpyxl baseline skipped: pip install openpyxl (./portal bench does it)");
    }

    let upload = forms::sample::five_megabyte_upload(Kind::Settlement);
    let (report, peak) = peak_during(|| forms::check_file(call, &upload, Some(Kind::Settlement)));
    let t = median_ms(time_ms(5, || {
        forms::check_file(call, &upload, Some(Kind::Settlement));
    }));
    println!(
        "  {:.1} MB upload (template + 288k cells of notes): read + validate {t:.1} ms, peak heap {:.1} MB, accepted {}",
        upload.len() as f64 / 1048576.0,
        peak as f64 / 1048576.0,
        report.is_accepted()
    );
    let bomb = zip_bomb();
    let (report, peak) = peak_during(|| forms::check_file(call, &bomb, Some(Kind::Settlement)));
    let t = median_ms(time_ms(3, || {
        forms::check_file(call, &bomb, Some(Kind::Settlement));
    }));
    println!(
        "  zip bomb ({:.1} MB, 1 GiB unpacked): refused as {} in {t:.1} ms, peak heap {:.2} MB",
        bomb.len() as f64 / 1048576.0,
        report.problems[0].message.key,
        peak as f64 / 1048576.0
    );
}
