//! wasm-bindgen layer (to be written)
