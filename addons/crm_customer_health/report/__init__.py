from . import crm_segment_analysis_report
