fn main() {
    let args: Vec<String> = std::env::args().collect();
    let t = std::fs::read_to_string(&args[1]).unwrap();
    print!("{}", berth_rules::ide::format::format(&t));
}
