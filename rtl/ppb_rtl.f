# PPB RTL sources in compile order (paths relative to rtl/). Read by rtl/CMakeLists.txt and the
# scripts/rtl-* checks; the package comes first.
ppb_reg_pkg.sv
ppb_reg_file.sv
ppb_bank_ram.sv
ppb_apb_regs.sv
ppb_irq.sv
ppb_ingress.sv
ppb_copy_engine.sv
ppb_cmd_fsm.sv
ppb_top.sv
